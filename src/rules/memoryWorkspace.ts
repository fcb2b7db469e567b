// A WorkspaceView over files already scanned: the CLI's whole run, and the unit tests.
import { folderOf } from './claims';
import type { FileMentions, WorkspaceView } from './types';

export class MemoryWorkspace implements WorkspaceView {
  private readonly byFolder = new Map<string, FileMentions[]>();
  private readonly files: FileMentions[] = [];

  constructor(files: Iterable<FileMentions> = []) {
    for (const f of files) {
      this.add(f);
    }
  }

  add(file: FileMentions): void {
    this.files.push(file);
    const folder = folderOf(file.file);
    const list = this.byFolder.get(folder);
    if (list) {
      list.push(file);
    } else {
      this.byFolder.set(folder, [file]);
    }
  }

  filesInFolder(folder: string): readonly FileMentions[] {
    return this.byFolder.get(folder) ?? [];
  }

  allFiles(): Iterable<FileMentions> {
    return this.files;
  }
}
