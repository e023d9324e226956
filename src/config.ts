// loadConfig(env): the only place that reads configuration. Every problem is reported at once, with the
// variable's name and how to fix it; secrets never appear in messages or in the redacted view.
import { z } from 'zod';
import { mask } from './redact.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
