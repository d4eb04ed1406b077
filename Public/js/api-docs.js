/**
 * The HTTP API docs page (api.html): renders openapi.json (Public/openapi.yaml as JSON,
 * written by scripts/openapi-json) with operations grouped by tag, each with its method,
 * path, summary, parameters, request body and responses.
 *
 * No third-party code and no innerHTML: every text goes in through textContent.
 * `document.body.dataset.state` is `loading`, then `ready` or `error` (for tests).
 * @module api-docs
 */

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/**
 * An element with a class and text (or children).
 * @param {string} tag
 * @param {string} [className]
 * @param {string | Node[]} [content]
 * @returns {HTMLElement}
 */
function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (typeof content === 'string') node.textContent = content;
  else if (Array.isArray(content)) node.append(...content);
  return node;
}

/**
 * An element for prose from the spec: `backticked` parts become <code>, the rest text nodes.
 * @param {string} tag
 * @param {string} className
 * @param {string} text
 * @returns {HTMLElement}
 */
function prose(tag, className, text) {
  const node = el(tag, className);
  text.split('`').forEach((part, index) => {
    if (index % 2 === 1) node.append(el('code', '', part));
    else if (part) node.append(document.createTextNode(part));
  });
  return node;
}

/**
 * The object a local `$ref` ("#/components/…") points at.
 * @param {object} spec
 * @param {string} ref
 */
function resolve(spec, ref) {
  return ref.replace(/^#\//, '').split('/').reduce((node, key) => node?.[key], spec);
}

/** The name a `$ref` ends with. */
function refName(ref) {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/**
 * `type, minLength 3, pattern …` for one schema (without its properties).
 * @param {object} schema
 * @returns {string}
 */
export function constraints(schema) {
  const parts = [];
  if (schema.type) parts.push(Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type);
  if ('const' in schema) parts.push(`= ${JSON.stringify(schema.const)}`);
  if (schema.enum) parts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  for (const key of ['format', 'minLength', 'maxLength', 'minimum', 'maximum', 'maxItems', 'pattern']) {
    if (key in schema) parts.push(`${key} ${schema[key]}`);
  }
  if ('default' in schema) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

/**
 * A nested list describing `schema`: its type and limits, its properties (required ones
 * marked), array items, and allOf/oneOf parts. `$ref`s are followed to a limited depth.
 * @param {object} spec
 * @param {object} schema
 * @param {number} [depth]
 * @returns {HTMLElement}
 */
function schemaView(spec, schema, depth = 0) {
  const list = el('ul', 'api-schema');
  const line = (children) => list.append(el('li', '', children));
  if (!schema) return list;
  if (schema.$ref) {
    const target = resolve(spec, schema.$ref) ?? {};
    const merged = { ...target, ...schema, $ref: undefined };
    line([el('span', 'api-type', refName(schema.$ref))]);
    if (depth < 6) list.append(...schemaView(spec, merged, depth + 1).childNodes);
    return list;
  }
  const summary = constraints(schema);
  if (summary) line([el('span', 'api-type', summary)]);
  if (schema.description) line([prose('span', 'api-note api-desc', schema.description)]);
  for (const [word, parts] of [['all of', schema.allOf], ['one of', schema.oneOf]]) {
    if (!parts) continue;
    line([el('span', 'api-note', word), ...parts.map((part) => schemaView(spec, part, depth + 1))]);
  }
  if (schema.items) line([el('span', 'api-note', 'items'), schemaView(spec, schema.items, depth + 1)]);
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const head = [el('span', 'api-name', name)];
    if (required.has(name)) head.push(' ', el('span', 'api-req', 'required'));
    line([...head, schemaView(spec, property, depth + 1)]);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    line([el('span', 'api-note', 'any key →'), schemaView(spec, schema.additionalProperties, depth + 1)]);
  }
  return list;
}

/** The parameters of an operation (path-level ones first), `$ref`s resolved. */
function parametersOf(spec, item, operation) {
  return [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => (p.$ref ? resolve(spec, p.$ref) : p));
}

/** `bearerAuth` or `refreshCookie (huddle_refresh cookie)`, alternatives joined by “or”. */
function securityText(spec, operation) {
  const requirements = operation.security ?? spec.security ?? [];
  if (requirements.length === 0) return '';
  return requirements
    .map((requirement) => {
      const names = Object.keys(requirement);
      if (names.length === 0) return 'none';
      return names
        .map((name) => {
          const scheme = spec.components?.securitySchemes?.[name] ?? {};
          if (scheme.type === 'http') return `${name} (Authorization: ${scheme.scheme} ${scheme.bearerFormat ?? ''})`.trim();
          if (scheme.type === 'apiKey') return `${name} (${scheme.name} ${scheme.in})`;
          return name;
        })
        .join(' and ');
    })
    .join(' or ');
}

/** One operation as a <details> block. */
function operationView(spec, path, method, item, operation) {
  const block = el('details', 'api-op');
  block.dataset.operation = `${method.toUpperCase()} ${path}`;
  block.id = operation.operationId ?? `${method}-${path}`;
  block.append(
    el('summary', '', [
      el('span', 'api-method', method),
      el('span', 'api-path', path),
      el('span', 'api-summary', operation.summary ?? ''),
    ]),
  );
  if (operation.description) block.append(prose('p', 'api-desc', operation.description));
  const security = securityText(spec, operation);
  if (security) block.append(el('h4', '', 'Authentication'), el('p', '', security));

  const parameters = parametersOf(spec, item, operation);
  if (parameters.length) {
    block.append(el('h4', '', 'Parameters'));
    const list = el('ul', 'api-schema');
    for (const parameter of parameters) {
      const head = [el('span', 'api-name', parameter.name), ` (${parameter.in})`];
      if (parameter.required) head.push(' ', el('span', 'api-req', 'required'));
      const entry = el('li', '', head);
      if (parameter.description) entry.append(prose('div', 'api-note api-desc', parameter.description));
      entry.append(schemaView(spec, parameter.schema));
      list.append(entry);
    }
    block.append(list);
  }

  const body = operation.requestBody;
  if (body) {
    block.append(el('h4', '', `Request body${body.required ? ' (required)' : ''}`));
    for (const [type, media] of Object.entries(body.content ?? {})) {
      block.append(el('p', '', [el('code', '', type)]), schemaView(spec, media.schema));
    }
  }

  block.append(el('h4', '', 'Responses'));
  const responses = el('ul', 'api-responses');
  for (const [status, raw] of Object.entries(operation.responses ?? {})) {
    const response = raw.$ref ? resolve(spec, raw.$ref) : raw;
    const entry = el('li', '', [el('span', 'api-status', status), ' ', prose('span', '', response.description ?? '')]);
    const headers = Object.keys(response.headers ?? {});
    if (headers.length) entry.append(el('div', 'api-note', `Headers: ${headers.join(', ')}`));
    for (const [type, media] of Object.entries(response.content ?? {})) {
      entry.append(el('div', '', [el('code', '', type)]), schemaView(spec, media.schema));
    }
    responses.append(entry);
  }
  block.append(responses);
  return block;
}

/**
 * Renders the whole document into the page.
 * @param {object} spec the OpenAPI document
 */
export function render(spec) {
  document.title = `${spec.info.title} · HTTP API ${spec.info.version}`;
  const intro = document.getElementById('api-intro');
  for (const paragraph of (spec.info.description ?? '').split(/\n\s*\n/)) {
    if (paragraph.trim()) intro.append(prose('p', 'api-desc', paragraph.trim()));
  }
  const schemes = spec.components?.securitySchemes ?? {};
  for (const [name, scheme] of Object.entries(schemes)) {
    intro.append(el('p', '', [el('span', 'api-name', name), ': ', prose('span', '', scheme.description ?? scheme.type)]));
  }

  const tags = [...(spec.tags ?? [])];
  const groups = new Map(tags.map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? 'other';
      if (!groups.has(tag)) {
        groups.set(tag, []);
        tags.push({ name: tag });
      }
      groups.get(tag).push(operationView(spec, path, method, item, operation));
    }
  }

  const toc = document.getElementById('api-toc');
  const container = document.getElementById('api-operations');
  for (const tag of tags) {
    const operations = groups.get(tag.name);
    if (!operations.length) continue;
    const section = el('section', 'api-group');
    section.dataset.tag = tag.name;
    section.id = `tag-${tag.name}`;
    section.append(el('h2', 'section-title', tag.name));
    if (tag.description) section.append(prose('p', '', tag.description));
    section.append(...operations);
    container.append(section);
    const link = el('a', '', `${tag.name} (${operations.length})`);
    link.href = `#tag-${tag.name}`;
    toc.append(link);
  }
}

async function main() {
  try {
    const response = await fetch('openapi.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`openapi.json: HTTP ${response.status}`);
    render(await response.json());
    document.body.dataset.state = 'ready';
  } catch (error) {
    document.getElementById('api-operations').append(el('p', 'notice', `Could not load the API description: ${error.message}`));
    document.body.dataset.state = 'error';
  }
}

main();
