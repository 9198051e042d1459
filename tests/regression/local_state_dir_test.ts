// Regression: an unusable local platform directory (DTCTL_LOCAL_DIR or `serve --data`) is the user's mistake.
// It used to surface as "this is a bug in dtctl" with a stack trace (`serve --data`), or as "cannot reach
// local.dtctl.invalid" with a network hint (`--context local`).
import assert from "node:assert/strict";
import { join } from "node:path";
import { isDtctlError } from "../../lib/errors/mod.ts";
import { FileStore } from "../../lib/emulator/file_store.ts";
import { createLocalFetch } from "../../lib/emulator/local.ts";

Deno.test("regression: FileStore.open on a path under a regular file is a config error, not a crash", async () => {
  const root = await Deno.makeTempDir();
  try {
    const file = join(root, "not-a-dir");
    await Deno.writeTextFile(file, "x");
    const dir = join(file, "local");
    await assert.rejects(() => FileStore.open(dir), (error) => {
      assert.ok(isDtctlError(error, "config_error"), String(error));
      assert.ok(error.userError);
      assert.match(error.message, /local platform state directory .*not-a-dir.* cannot be used/);
      assert.match(error.hint ?? "", /DTCTL_LOCAL_DIR/);
      return true;
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("regression: the local fetch reports an unusable directory as such, not as a network failure", async () => {
  const root = await Deno.makeTempDir();
  try {
    const file = join(root, "file");
    await Deno.writeTextFile(file, "x");
    const fetch = createLocalFetch({ dir: join(file, "state") });
    await assert.rejects(
      () =>
        fetch("http://local/platform/metadata/v1/user", { headers: { authorization: "Bearer dt0s16.X" } }),
      (error) => {
        assert.ok(isDtctlError(error, "config_error"), String(error));
        assert.doesNotMatch(error.message, /cannot reach/);
        return true;
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
