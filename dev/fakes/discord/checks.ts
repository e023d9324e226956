import { ApplicationCommandType, ComponentType, MessageFlags } from 'discord-api-types/v10';
import { isRecord, type Upload } from './common.js';

export type Path = (string | number)[];
export interface Issue {
  path: Path;
  code: string;
  message: string;
  detail?: string;
}

const codePoints = (s: string): number => [...s].length;

/** The issue of a required field that is absent. */
export const requiredIssue = (path: Path): Issue => ({
  path,
  code: 'BASE_TYPE_REQUIRED',
  message: 'This field is required',
});

export const notAListIssue = (path: Path): Issue => ({
  path,
  code: 'LIST_TYPE_CONVERT',
  message: 'Only iterables may be used in a ListType',
});

const notAStringIssue = (path: Path, v: unknown): Issue => ({
  path,
  code: 'STRING_TYPE_CONVERT',
  message: `Could not interpret "${String(v)}" as string.`,
});

const tooLongIssue = (path: Path, max: number, length: number): Issue => ({
  path,
  code: 'BASE_TYPE_MAX_LENGTH',
  message: `Must be ${max} or fewer in length.`,
  detail: `got ${length}`,
});

export interface StringRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** Returns the length (in code points, as Discord counts) of a valid string, 0 otherwise. */
const checkString = (issues: Issue[], v: unknown, path: Path, rule: StringRule): number => {
  if (v === undefined || v === null || (rule.required && v === '')) {
    if (rule.required) issues.push(requiredIssue(path));
    return 0;
  }
  if (typeof v !== 'string') {
    issues.push(notAStringIssue(path, v));
    return 0;
  }
  const n =
    v.length > rule.max || (rule.min !== undefined && v.length <= rule.min) ? codePoints(v) : v.length;
  if (rule.min !== undefined && (n < rule.min || n > rule.max)) {
    issues.push({
      path,
      code: 'BASE_TYPE_BAD_LENGTH',
      message: `Must be between ${rule.min} and ${rule.max} in length.`,
      detail: `got ${n}`,
    });
  } else if (n > rule.max) {
    issues.push(tooLongIssue(path, rule.max, n));
  }
  return n;
};

export const checkArray = (
  issues: Issue[],
  v: unknown,
  path: Path,
  max: number,
  min = 0,
): unknown[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    issues.push(notAListIssue(path));
    return undefined;
  }
  if (v.length > max) {
    issues.push(tooLongIssue(path, max, v.length));
  } else if (v.length < min) {
    issues.push({ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${min} or more in length.` });
  }
  return v;
};

const checkDict = (issues: Issue[], v: unknown, path: Path): v is Record<string, unknown> => {
  if (isRecord(v)) return true;
  issues.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
  return false;
};

export const checkUrl = (
  issues: Issue[],
  v: unknown,
  path: Path,
  allowAttachment: boolean,
  max = 2048,
): void => {
  if (v === undefined || v === null) return;
  if (typeof v !== 'string') {
    issues.push(notAStringIssue(path, v));
    return;
  }
  let scheme: string;
  try {
    scheme = new URL(v).protocol.slice(0, -1);
  } catch {
    issues.push({
      path,
      code: 'URL_TYPE_INVALID_URL',
      message: 'Not a well formed URL.',
      detail: v.slice(0, 80),
    });
    return;
  }
  if (scheme !== 'http' && scheme !== 'https' && !(allowAttachment && scheme === 'attachment')) {
    issues.push({
      path,
      code: 'URL_TYPE_INVALID_SCHEME',
      message: `Scheme "${scheme}" is not supported. Scheme must be one of ('http', 'https').`,
    });
  }
  checkString(issues, v, path, { max });
};

/** Checks one embed; returns the characters it counts towards the 6000 limit. */
const checkEmbed = (issues: Issue[], e: unknown, path: Path): number => {
  if (!checkDict(issues, e, path)) return 0;
  let chars = 0;
  chars += checkString(issues, e.title, [...path, 'title'], { max: 256 });
  chars += checkString(issues, e.description, [...path, 'description'], { max: 4096 });
  checkUrl(issues, e.url, [...path, 'url'], false);
  if (e.color !== undefined && e.color !== null) {
    if (typeof e.color !== 'number' || !Number.isInteger(e.color) || e.color < 0 || e.color > 0xffffff) {
      issues.push({
        path: [...path, 'color'],
        code: 'NUMBER_TYPE_MAX',
        message: 'int value should be less than or equal to 16777215.',
      });
    }
  }
  if (e.timestamp !== undefined && e.timestamp !== null) {
    if (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp))) {
      issues.push({
        path: [...path, 'timestamp'],
        code: 'DATE_TYPE_PARSE',
        message: 'Could not parse timestamp. Should be ISO8601.',
      });
    }
  }
  for (const key of ['image', 'thumbnail'] as const) {
    const media = e[key];
    if (media !== undefined && media !== null && checkDict(issues, media, [...path, key])) {
      checkUrl(issues, media.url, [...path, key, 'url'], true);
    }
  }
  if (e.footer !== undefined && e.footer !== null && checkDict(issues, e.footer, [...path, 'footer'])) {
    chars += checkString(issues, e.footer.text, [...path, 'footer', 'text'], { max: 2048, required: true });
    checkUrl(issues, e.footer.icon_url, [...path, 'footer', 'icon_url'], true);
  }
  if (e.author !== undefined && e.author !== null && checkDict(issues, e.author, [...path, 'author'])) {
    chars += checkString(issues, e.author.name, [...path, 'author', 'name'], { max: 256, required: true });
    checkUrl(issues, e.author.url, [...path, 'author', 'url'], false);
    checkUrl(issues, e.author.icon_url, [...path, 'author', 'icon_url'], true);
  }
  const fields = checkArray(issues, e.fields, [...path, 'fields'], 25);
  fields?.forEach((f, i) => {
    const at = [...path, 'fields', i];
    if (!checkDict(issues, f, at)) return;
    chars += checkString(issues, f.name, [...at, 'name'], { max: 256, required: true });
    chars += checkString(issues, f.value, [...at, 'value'], { max: 1024, required: true });
  });
  return chars;
};

const SELECT_TYPES = new Set<unknown>([
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
]);

/** One walk over a message's components: the custom ids seen so far, and how many components it met. */
interface ComponentWalk {
  issues: Issue[];
  v2: boolean;
  customIds: Set<string>;
  total: number;
}

const checkComponents = (issues: Issue[], v: unknown, path: Path, v2: boolean): void => {
  const top = checkArray(issues, v, path, v2 ? 40 : 5);
  if (!top) return;
  const walk: ComponentWalk = { issues, v2, customIds: new Set(), total: 0 };
  top.forEach((c, i) => {
    if (!v2 && isRecord(c) && c.type !== ComponentType.ActionRow) {
      issues.push({
        path: [...path, i, 'type'],
        code: 'UNION_TYPE_CHOICES',
        message: 'Value of field "type" must be one of (1,).',
        detail: `got ${String(c.type)} without the IS_COMPONENTS_V2 flag`,
      });
    }
    visitComponent(walk, c, [...path, i], 0);
  });
  if (v2 && walk.total > 40) {
    issues.push({
      path,
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 40 or fewer in length.',
      detail: `${walk.total} in total`,
    });
  }
};

function visitComponent(walk: ComponentWalk, c: unknown, at: Path, depth: number): void {
  walk.total++;
  if (!checkDict(walk.issues, c, at)) return;
  const interactive =
    c.type === ComponentType.Button || SELECT_TYPES.has(c.type) || c.type === ComponentType.TextInput;
  const isLink = c.type === ComponentType.Button && (c.style === 5 || c.style === 6);
  if (c.custom_id !== undefined || (interactive && !isLink)) {
    checkString(walk.issues, c.custom_id, [...at, 'custom_id'], { min: 1, max: 100, required: true });
    checkUnique(walk.issues, walk.customIds, c.custom_id, {
      ...duplicateCustomId(at),
      detail: String(c.custom_id),
    });
  }
  switch (c.type) {
    case ComponentType.ActionRow:
      checkActionRow(walk, c, at, depth);
      return;
    case ComponentType.Button:
      checkButton(walk.issues, c, at);
      return;
    case ComponentType.StringSelect:
      checkStringSelect(walk.issues, c, at);
      return;
    default:
      checkNestingComponent(walk, c, at, depth);
      return;
  }
}

/** A row of up to five components, or one select; rows do not nest outside components v2. */
function checkActionRow(walk: ComponentWalk, c: Record<string, unknown>, at: Path, depth: number): void {
  const { issues } = walk;
  if (depth > 0 && !walk.v2) {
    issues.push({
      path: [...at, 'type'],
      code: 'UNION_TYPE_CHOICES',
      message: 'Action rows cannot be nested.',
    });
  }
  const children = checkArray(issues, c.components, [...at, 'components'], 5, 1);
  if (children && children.length > 1 && children.some((x) => isRecord(x) && SELECT_TYPES.has(x.type))) {
    issues.push({
      path: [...at, 'components'],
      code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
      message: 'The specified component exceeds the maximum width',
    });
  }
  children?.forEach((x, i) => {
    visitComponent(walk, x, [...at, 'components', i], depth + 1);
  });
}

function checkButton(issues: Issue[], c: Record<string, unknown>, at: Path): void {
  if (typeof c.style !== 'number' || c.style < 1 || c.style > 6) {
    issues.push({
      path: [...at, 'style'],
      code: 'BASE_TYPE_CHOICES',
      message: 'Value must be one of (1, 2, 3, 4, 5, 6).',
    });
  }
  if (c.style === 5) {
    if (c.custom_id !== undefined) {
      issues.push({
        path: [...at, 'custom_id'],
        code: 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED',
        message: 'A custom id cannot be set for link buttons',
      });
    }
    checkString(issues, c.url, [...at, 'url'], { max: 512, required: true });
    checkUrl(issues, c.url, [...at, 'url'], false, 512);
  }
  checkString(issues, c.label, [...at, 'label'], { max: 80 });
}

function checkStringSelect(issues: Issue[], c: Record<string, unknown>, at: Path): void {
  const options = checkArray(issues, c.options, [...at, 'options'], 25, 1);
  options?.forEach((o, i) => {
    const oat = [...at, 'options', i];
    if (!checkDict(issues, o, oat)) return;
    checkString(issues, o.label, [...oat, 'label'], { min: 1, max: 100, required: true });
    checkString(issues, o.value, [...oat, 'value'], { min: 1, max: 100, required: true });
    checkString(issues, o.description, [...oat, 'description'], { max: 100 });
  });
  checkString(issues, c.placeholder, [...at, 'placeholder'], { max: 150 });
}

/** The other selects, and the components v2 containers and sections, which nest further components. */
function checkNestingComponent(
  walk: ComponentWalk,
  c: Record<string, unknown>,
  at: Path,
  depth: number,
): void {
  const { issues } = walk;
  if (SELECT_TYPES.has(c.type)) checkString(issues, c.placeholder, [...at, 'placeholder'], { max: 150 });
  const children = Array.isArray(c.components) ? c.components : [];
  children.forEach((x, i) => {
    visitComponent(walk, x, [...at, 'components', i], depth + 1);
  });
  if (isRecord(c.accessory)) visitComponent(walk, c.accessory, [...at, 'accessory'], depth + 1);
  if (c.type === ComponentType.TextDisplay) checkString(issues, c.content, [...at, 'content'], { max: 4000 });
}

/** Adds `issue` when the string `value` was seen before in the same list; remembers it. */
function checkUnique(issues: Issue[], seen: Set<string>, value: unknown, issue: Issue): void {
  if (typeof value !== 'string') return;
  if (seen.has(value)) issues.push(issue);
  seen.add(value);
}

const duplicateCustomId = (at: Path): Issue => ({
  path: [...at, 'custom_id'],
  code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
  message: 'Component custom id cannot be duplicated',
});

export const checkMessage = (issues: Issue[], p: unknown, path: Path): void => {
  if (!checkDict(issues, p, path)) return;
  const v2 = typeof p.flags === 'number' && (p.flags & MessageFlags.IsComponentsV2) !== 0;
  checkString(issues, p.content, [...path, 'content'], { max: 2000 });
  const embeds = checkArray(issues, p.embeds, [...path, 'embeds'], 10);
  if (embeds) {
    let chars = 0;
    embeds.forEach((e, i) => {
      chars += checkEmbed(issues, e, [...path, 'embeds', i]);
    });
    if (chars > 6000) {
      issues.push({
        path: [...path, 'embeds'],
        code: 'MAX_EMBED_SIZE_EXCEEDED',
        message: 'Embed size exceeds maximum size of 6000',
        detail: `got ${chars}`,
      });
    }
  }
  if (p.components !== undefined && p.components !== null)
    checkComponents(issues, p.components, [...path, 'components'], v2);
  checkArray(issues, p.attachments, [...path, 'attachments'], 10);
  if (v2 && ((typeof p.content === 'string' && p.content !== '') || (embeds && embeds.length > 0))) {
    issues.push({
      path: [...path, typeof p.content === 'string' && p.content !== '' ? 'content' : 'embeds'],
      code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
      message: "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    });
  }
};

export const isEmptyMessage = (p: Record<string, unknown>, uploads: Upload[]): boolean => {
  const nonEmpty = (v: unknown): boolean =>
    typeof v === 'string' ? v !== '' : Array.isArray(v) && v.length > 0;
  return (
    !nonEmpty(p.content) &&
    !nonEmpty(p.embeds) &&
    !nonEmpty(p.components) &&
    !nonEmpty(p.attachments) &&
    !nonEmpty(p.sticker_ids) &&
    !isRecord(p.poll) &&
    uploads.length === 0
  );
};

export const checkChoices = (issues: Issue[], data: unknown, path: Path): void => {
  if (!checkDict(issues, data, path)) return;
  const choices = checkArray(issues, data.choices, [...path, 'choices'], 25);
  choices?.forEach((c, i) => {
    const at = [...path, 'choices', i];
    if (!checkDict(issues, c, at)) return;
    checkString(issues, c.name, [...at, 'name'], { min: 1, max: 100, required: true });
    if (typeof c.value === 'string') checkString(issues, c.value, [...at, 'value'], { max: 100 });
    else if (typeof c.value !== 'number') {
      issues.push(requiredIssue([...at, 'value']));
    }
  });
};

export const checkModal = (issues: Issue[], data: unknown, path: Path): void => {
  if (!checkDict(issues, data, path)) return;
  checkString(issues, data.custom_id, [...path, 'custom_id'], { min: 1, max: 100, required: true });
  checkString(issues, data.title, [...path, 'title'], { min: 1, max: 45, required: true });
  const seen = new Set<string>();
  const input = (c: unknown, at: Path, inLabel: boolean): void => {
    if (!checkDict(issues, c, at)) return;
    checkString(issues, c.custom_id, [...at, 'custom_id'], { min: 1, max: 100, required: true });
    checkUnique(issues, seen, c.custom_id, duplicateCustomId(at));
    if (c.type === ComponentType.TextInput) {
      if (!inLabel) checkString(issues, c.label, [...at, 'label'], { min: 1, max: 45, required: true });
      if (c.style !== 1 && c.style !== 2) {
        issues.push({
          path: [...at, 'style'],
          code: 'BASE_TYPE_CHOICES',
          message: 'Value must be one of (1, 2).',
        });
      }
      checkString(issues, c.value, [...at, 'value'], { max: 4000 });
      checkString(issues, c.placeholder, [...at, 'placeholder'], { max: 100 });
    }
  };
  const components = checkArray(issues, data.components, [...path, 'components'], 5, 1);
  components?.forEach((c, i) => {
    const at = [...path, 'components', i];
    if (!checkDict(issues, c, at)) return;
    if (c.type === ComponentType.ActionRow) {
      checkArray(issues, c.components, [...at, 'components'], 1, 1)?.forEach((x, j) => {
        input(x, [...at, 'components', j], false);
      });
    } else if (c.type === ComponentType.Label) {
      checkString(issues, c.label, [...at, 'label'], { min: 1, max: 45, required: true });
      checkString(issues, c.description, [...at, 'description'], { max: 100 });
      input(c.component, [...at, 'component'], true);
    } else if (c.type === ComponentType.TextDisplay) {
      checkString(issues, c.content, [...at, 'content'], { max: 4000 });
    }
  });
};

const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const checkCommandName = (issues: Issue[], name: unknown, path: Path): void => {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || name !== name.toLowerCase()) {
    issues.push({
      path,
      code: 'APPLICATION_COMMAND_INVALID_NAME',
      message: 'Command name is invalid',
      detail: `${JSON.stringify(name)}: 1-32 lower-case letters, digits, - _ '`,
    });
  }
};

const checkOptions = (issues: Issue[], options: unknown, path: Path): void => {
  const list = checkArray(issues, options, path, 25);
  let optionalSeen = false;
  const names = new Set<string>();
  list?.forEach((o, i) => {
    const at = [...path, i];
    if (!checkDict(issues, o, at)) return;
    checkCommandName(issues, o.name, [...at, 'name']);
    checkUnique(issues, names, o.name, {
      path: [...at, 'name'],
      code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
      message: 'Option names must be unique',
    });
    checkString(issues, o.description, [...at, 'description'], { min: 1, max: 100, required: true });
    if (o.required === true && optionalSeen) {
      issues.push({
        path: [...at, 'required'],
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (o.required !== true && o.type !== 1 && o.type !== 2) optionalSeen = true;
    checkArray(issues, o.choices, [...at, 'choices'], 25)?.forEach((c, j) => {
      const cat = [...at, 'choices', j];
      if (!checkDict(issues, c, cat)) return;
      checkString(issues, c.name, [...cat, 'name'], { min: 1, max: 100, required: true });
      if (typeof c.value === 'string') checkString(issues, c.value, [...cat, 'value'], { max: 100 });
    });
    if (o.type === 1 || o.type === 2) checkOptions(issues, o.options, [...at, 'options']);
  });
};

export const checkCommand = (issues: Issue[], c: unknown, path: Path): void => {
  if (!checkDict(issues, c, path)) return;
  const type = c.type ?? ApplicationCommandType.ChatInput;
  if (type === ApplicationCommandType.ChatInput) {
    checkCommandName(issues, c.name, [...path, 'name']);
    checkString(issues, c.description, [...path, 'description'], { min: 1, max: 100, required: true });
    checkOptions(issues, c.options, [...path, 'options']);
  } else if (type === ApplicationCommandType.User || type === ApplicationCommandType.Message) {
    checkString(issues, c.name, [...path, 'name'], { min: 1, max: 32, required: true });
    if (typeof c.description === 'string' && c.description !== '') {
      issues.push({
        path: [...path, 'description'],
        code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID',
        message: 'Context menu commands cannot have description',
      });
    }
  } else if (type !== ApplicationCommandType.PrimaryEntryPoint) {
    issues.push({
      path: [...path, 'type'],
      code: 'BASE_TYPE_CHOICES',
      message: 'Value must be one of (1, 2, 3, 4).',
    });
  }
};

export const formatPath = (path: Path): string =>
  path.reduce<string>((s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : s ? `${s}.${seg}` : seg), '') ||
  '(body)';

/** Discord's nested `errors` object: `{ embeds: { '0': { title: { _errors: [{ code, message }] } } } }`. */
export const nestErrors = (issues: Issue[]): Record<string, unknown> => {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = root;
    for (const seg of issue.path) {
      const key = String(seg);
      const next = node[key];
      if (isRecord(next)) node = next;
      else {
        const created: Record<string, unknown> = {};
        node[key] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? node._errors : [];
    list.push({ code: issue.code, message: issue.message });
    node._errors = list;
  }
  return root;
};
