/** A Discord id (a snowflake): 17 to 20 decimal digits. */
export const SNOWFLAKE = /^\d{17,20}$/;

export const isSnowflake = (value: string): boolean => SNOWFLAKE.test(value);
