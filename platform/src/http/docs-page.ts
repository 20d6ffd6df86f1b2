import type { OpenApiDocument } from './openapi-document';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

type Schema = Record<string, unknown>;
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: Schema };
type DocumentedOperation = {
  summary: string;
  description?: string;
  'x-roles': string[];
  parameters: Parameter[];
  requestBody?: {
    content: { 'application/json': { schema: { properties?: Record<string, Schema>; required?: string[] } } };
  };
  responses: Record<string, unknown>;
};

const typeOf = (schema: Schema) =>
  Array.isArray(schema.enum) ? schema.enum.join(' | ') : typeof schema.type === 'string' ? schema.type : 'any';

const parameterRow = (p: Parameter) =>
  `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}${p.required ? ', required' : ''}</td><td>${escapeHtml(typeOf(p.schema))}${p.schema.default !== undefined ? ` (default ${escapeHtml(String(p.schema.default))})` : ''}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`;

/** The body's top-level fields, listed like parameters. */
const bodyFields = (operation: DocumentedOperation): Parameter[] => {
  const schema = operation.requestBody?.content['application/json'].schema;
  return Object.entries(schema?.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: 'body',
    required: (schema?.required ?? []).includes(name),
    ...(typeof description === 'string' && { description }),
    schema: property,
  }));
};

type Answer = { content?: { 'application/json'?: { schema?: { properties?: Record<string, Schema> } } } };

/** The top-level fields of the success answer, when the operation declares one. */
const answerFields = (operation: DocumentedOperation, success: string | undefined) => {
  const answer = success === undefined ? undefined : (operation.responses[success] as Answer | undefined);
  return Object.keys(answer?.content?.['application/json']?.schema?.properties ?? {});
};

/** The operations of an OpenAPI document as one self-contained page: no scripts, no CDN. */
export const docsPage = (document: OpenApiDocument) => {
  const sections = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, value]) => {
      const op = value as DocumentedOperation;
      const who = op['x-roles'].length > 0 ? op['x-roles'].join(', ') : 'anyone, no credentials';
      const inputs = [...op.parameters, ...bodyFields(op)];
      const success = Object.keys(op.responses).find((status) => Number(status) < 400);
      const answer = answerFields(op, success);
      return `<section>
  <h2><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h2>
  <p>${escapeHtml(op.summary)}${op.description ? `. ${escapeHtml(op.description)}` : ''}</p>
  <p class="who">Who: ${escapeHtml(who)}${success && success !== '200' ? `. Answers ${success}.` : ''}</p>
  ${answer.length > 0 ? `<p class="who">Answers with ${answer.map((field) => `<code>${escapeHtml(field)}</code>`).join(', ')}.</p>` : ''}
  ${inputs.length > 0 ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th>meaning</th></tr>${inputs.map(parameterRow).join('')}</table>` : ''}
</section>`;
    }),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(document.info.title)}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  section { border-top: 1px solid #ddd; padding: .5rem 0; }
  h2 { font-size: 1.05rem; margin: .5rem 0; }
  .method { background: #1a5; color: #fff; padding: 0 .4rem; border-radius: 3px; font-size: .85rem; }
  .who { color: #666; margin: 0; }
  table { border-collapse: collapse; margin: .5rem 0; }
  th, td { text-align: left; padding: .15rem .8rem .15rem 0; vertical-align: top; }
</style>
</head>
<body>
<h1>${escapeHtml(document.info.title)}</h1>
<p>${escapeHtml(document.info.description)} Errors are JSON: <code>{ error, message, details }</code>. Viewers send <code>Authorization: Bearer &lt;token&gt;</code>; content and analyst keys go in <code>X-Api-Key</code>. Bodies are JSON. The machine-readable description is <a href="/openapi.json">/openapi.json</a>.</p>
${sections.join('\n')}
</body>
</html>
`;
};
