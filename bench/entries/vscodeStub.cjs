// Stands in for the `vscode` module at bundle time: the bench only calls functions of
// documentMentions.ts that never touch it.
module.exports = {};
