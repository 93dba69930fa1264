/**
 * Writing files that hold customers' personal data: mode 0600 from the first byte, and replaced
 * in one rename so that a crash or a full disk never leaves half a file where a whole one was.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writePrivateFile(given: string, text: string, mode = 0o600): void {
  // Through a symbolic link, the file it points at is replaced: renaming onto the link itself
  // would turn a link someone set up (a dataset shared between repositories) into a copy.
  const path = existsSync(given) ? realpathSync(given) : given;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    // The umask may have taken bits off the mode given to open.
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
