// What a hover does once VS Code hands over a position: mentions per version, binary search,
// Markdown. documentMentions.ts imports vscode; build.mjs points that import at a stub.
export { scanAs, detectFileKind } from '../../src/scan/index';
export { mentionAt } from '../../src/providers/documentMentions';
export { hoverMarkdown } from '../../src/present/hoverMarkdown';
export { yamlParseCounts, setIncrementalYamlFrom } from '../../src/scan/yamlIncremental';
