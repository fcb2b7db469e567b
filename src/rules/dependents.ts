// Which files' findings may change when one file changes, from what the cross-file rules read:
// port-conflict compares a compose file with its siblings (override files) and an nginx file with its
// conf.d/sites-enabled siblings and the nginx.conf one folder up (or down); privileged-port looks for a
// compose file up to two folders above an nginx config; nginx files that include one another judge
// their server blocks and upstreams together.
import { folderOf } from './claims';
import type { FileMentions, WorkspaceView } from './types';

/** Levels below a compose file where privileged-port still sees it (nginxRunsInCompose). */
const COMPOSE_REACH = 2;

/** The indexed files other than `file` whose findings may depend on it (changed, added or deleted). */
export function dependentFiles(file: string, workspace: WorkspaceView): string[] {
  const folder = folderOf(file);
  const parent = folderOf(folder.slice(0, -1));
  const out = new Set<string>();
  const add = (files: Iterable<FileMentions>): void => {
    for (const f of files) {
      if (f.file !== file) {
        out.add(f.file);
      }
    }
  };
  add(workspace.filesInFolder(folder));
  if (parent !== folder) {
    add(workspace.filesInFolder(parent));
  }
  add(workspace.filesBelow(folder, COMPOSE_REACH));
  // nginx files read together through `include`, wherever they sit.
  for (const id of workspace.nginxIncludes?.().relatedFiles(file) ?? []) {
    if (id !== file) {
      out.add(id);
    }
  }
  return [...out];
}
