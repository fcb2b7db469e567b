// Which files the rules judge. Prose (README, docs) shows ports as examples: a README telling how to
// publish port 80 is not this project binding it, so prose gets hovers, never warnings.
const PROSE_EXTENSIONS = new Set([
  'md',
  'markdown',
  'mdx',
  'txt',
  'rst',
  'adoc',
  'asciidoc',
  'org',
  'tex',
  'html',
  'htm',
]);
const PROSE_LANGUAGES = new Set([
  'markdown',
  'mdx',
  'plaintext',
  'restructuredtext',
  'asciidoc',
  'org',
  'latex',
  'html',
]);

export function isProseFile(path: string, languageId?: string): boolean {
  if (languageId !== undefined && PROSE_LANGUAGES.has(languageId)) {
    return true;
  }
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const name = path.slice(cut + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot > 0 && PROSE_EXTENSIONS.has(name.slice(dot + 1));
}
