import assert from "node:assert/strict";
import { type EnvReader, loadConfig } from "../../kernel/config.ts";
import { DEFAULT_MAX_CAPABILITIES } from "../../kernel/types.ts";
import { talonError, withTempDir } from "./fixtures.ts";

function envOf(vars: Record<string, string>): EnvReader {
  return (key) => vars[key];
}

const noEnv: EnvReader = () => undefined;

async function configFile(dir: string, text: string): Promise<string> {
  const path = `${dir}/config.toml`;
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("loadConfig() with nothing given returns the defaults", async () => {
  const config = await loadConfig({ env: noEnv });
  assert.equal(config.server.host, "127.0.0.1");
  assert.equal(config.server.port, 4200);
  assert.equal(config.log_level, "info");
  assert.deepEqual(config.max_capabilities, [...DEFAULT_MAX_CAPABILITIES]);
  assert.ok(!config.max_capabilities.includes("shell_exec"));
  assert.ok(!config.max_capabilities.some((c) => c.startsWith("env_read")));
  assert.deepEqual(config.providers, {});
  assert.equal(config.agents.queue_limit, 32);
});

Deno.test("loadConfig() ignores a missing default path but refuses a missing explicit path", async () => {
  await withTempDir(async (dir) => {
    const config = await loadConfig({ env: noEnv, defaultPath: `${dir}/none.toml` });
    assert.equal(config.server.port, 4200);
    await assert.rejects(
      loadConfig({ env: noEnv, path: `${dir}/none.toml` }),
      talonError("invalid_config", /none\.toml/),
    );
    await assert.rejects(
      loadConfig({ env: envOf({ TALON_CONFIG: `${dir}/env.toml` }) }),
      talonError("invalid_config", /env\.toml/),
    );
  });
});

Deno.test("loadConfig() rejects an unknown key naming its full path", async () => {
  await withTempDir(async (dir) => {
    const path = await configFile(dir, '[server]\nhots = "0.0.0.0"\n');
    await assert.rejects(
      loadConfig({ env: noEnv, path }),
      talonError("invalid_config", /"server\.hots"/),
    );
    const top = await configFile(dir, 'log_levle = "debug"\n');
    await assert.rejects(
      loadConfig({ env: noEnv, path: top }),
      talonError("invalid_config", /"log_levle"/),
    );
    const provider = await configFile(
      dir,
      '[providers.local]\nkind = "openai"\nbase_ur = "http://x"\n',
    );
    await assert.rejects(
      loadConfig({ env: noEnv, path: provider }),
      talonError("invalid_config", /providers\.local\.base_ur/),
    );
  });
});

Deno.test("loadConfig() rejects values of the wrong type naming the path and the file", async () => {
  await withTempDir(async (dir) => {
    const cases: [string, RegExp][] = [
      ['[server]\nport = "x"\n', /server\.port/],
      ["[server]\nport = 70000\n", /server\.port/],
      ['log_level = "loud"\n', /log_level/],
      ['max_capabilities = ["root"]\n', /max_capabilities\.0/],
      ['[providers.x]\nkind = "cohere"\n', /providers\.x\.kind/],
      ["[agents]\nqueue_limit = 0\n", /agents\.queue_limit/],
      ["[events]\nsubscriber_buffer = 1\n", /events\.subscriber_buffer/],
    ];
    for (const [text, pattern] of cases) {
      const path = await configFile(dir, text);
      await assert.rejects(
        loadConfig({ env: noEnv, path }),
        (error) => {
          talonError("invalid_config", pattern)(error);
          assert.match((error as Error).message, /config\.toml/);
          return true;
        },
        text,
      );
    }
  });
});

Deno.test("loadConfig() rejects invalid TOML with invalid_config", async () => {
  await withTempDir(async (dir) => {
    for (const text of ["[server\nport = 1\n", "port = = 3\n", 'a = "unterminated\n']) {
      const path = await configFile(dir, text);
      await assert.rejects(
        loadConfig({ env: noEnv, path }),
        talonError("invalid_config", /not valid TOML/),
        text,
      );
    }
  });
});

Deno.test("loadConfig() applies precedence flag > env > file > default", async () => {
  await withTempDir(async (dir) => {
    const path = await configFile(
      dir,
      'log_level = "warn"\n[server]\nhost = "0.0.0.0"\nport = 8000\n',
    );
    const fromFile = await loadConfig({ env: noEnv, path });
    assert.deepEqual(
      [fromFile.server.host, fromFile.server.port, fromFile.log_level],
      ["0.0.0.0", 8000, "warn"],
    );
    const env = envOf({ TALON_HOST: "10.0.0.1", TALON_PORT: "9000", TALON_LOG: "error" });
    const fromEnv = await loadConfig({ env, path });
    assert.deepEqual(
      [fromEnv.server.host, fromEnv.server.port, fromEnv.log_level],
      ["10.0.0.1", 9000, "error"],
    );
    const fromFlags = await loadConfig({
      env,
      path,
      flags: { host: "::1", port: 9100, logLevel: "debug" },
    });
    assert.deepEqual(
      [fromFlags.server.host, fromFlags.server.port, fromFlags.log_level],
      ["::1", 9100, "debug"],
    );
    // Env alone over defaults, with no file at all.
    const envOnly = await loadConfig({ env: envOf({ TALON_PORT: "1234" }) });
    assert.equal(envOnly.server.port, 1234);
    assert.equal(envOnly.server.host, "127.0.0.1");
  });
});

Deno.test("loadConfig() keeps other file settings when an override touches one key", async () => {
  await withTempDir(async (dir) => {
    const path = await configFile(dir, '[server]\nhost = "0.0.0.0"\nport = 8000\n');
    const config = await loadConfig({ env: noEnv, path, flags: { port: 1 } });
    assert.equal(config.server.host, "0.0.0.0");
    assert.equal(config.server.port, 1);
  });
});

Deno.test("loadConfig() reads the file named by TALON_CONFIG over the default path", async () => {
  await withTempDir(async (dir) => {
    await configFile(dir, "[server]\nport = 1111\n");
    const other = `${dir}/other.toml`;
    await Deno.writeTextFile(other, "[server]\nport = 2222\n");
    const config = await loadConfig({
      env: envOf({ TALON_CONFIG: other }),
      defaultPath: `${dir}/config.toml`,
    });
    assert.equal(config.server.port, 2222);
  });
});

Deno.test("loadConfig() refuses bad environment overrides with invalid_config", async () => {
  for (const value of ["x", "12.5", "80 http", "-"]) {
    await assert.rejects(
      loadConfig({ env: envOf({ TALON_PORT: value }) }),
      talonError("invalid_config", /TALON_PORT/),
      value,
    );
  }
  await assert.rejects(
    loadConfig({ env: envOf({ TALON_LOG: "chatty" }) }),
    talonError("invalid_config", /log_level/),
  );
  await assert.rejects(
    loadConfig({ env: noEnv, flags: { port: 99999 } }),
    talonError("invalid_config", /server\.port/),
  );
});

Deno.test("loadConfig() parses providers, offline script and max_capabilities", async () => {
  await withTempDir(async (dir) => {
    const path = await configFile(
      dir,
      [
        'default_provider = "local"',
        'max_capabilities = ["shell_exec", "env_read:*"]',
        "[providers.local]",
        'kind = "openai"',
        'base_url = "http://127.0.0.1:11434/v1"',
        'api_key_env = "LOCAL_KEY"',
        "[offline]",
        'script = "/tmp/s.json"',
      ].join("\n"),
    );
    const config = await loadConfig({ env: noEnv, path });
    assert.deepEqual(config.max_capabilities, ["shell_exec", "env_read:*"]);
    assert.equal(config.providers.local?.kind, "openai");
    assert.equal(config.providers.local?.api_key_env, "LOCAL_KEY");
    assert.equal(config.offline.script, "/tmp/s.json");
    assert.equal(config.default_provider, "local");
  });
});

Deno.test("loadConfig() refuses TALON_PORT values that are not plain decimal integers", async () => {
  // Number("") is 0 and Number("0x50") is 80: an empty or hex variable must
  // not silently become a random or unexpected port.
  for (const value of ["", "  ", "0x50", "1e3"]) {
    await assert.rejects(
      loadConfig({ env: envOf({ TALON_PORT: value }) }),
      talonError("invalid_config", /TALON_PORT/),
      JSON.stringify(value),
    );
  }
});

Deno.test("loadConfig() reads [http] session and rate limit settings, with defaults, and refuses unknown or bad ones", async () => {
  const defaults = await loadConfig({ env: noEnv });
  assert.deepEqual(defaults.http, {
    session_ttl_hours: 12,
    rate_limit: { requests_per_minute: 600, per_ip_per_minute: 1200, login_per_minute: 10 },
  });
  await withTempDir(async (dir) => {
    const path = await configFile(
      dir,
      "[http]\nsession_ttl_hours = 1.5\n[http.rate_limit]\nlogin_per_minute = 3\n",
    );
    const config = await loadConfig({ env: noEnv, path });
    assert.equal(config.http.session_ttl_hours, 1.5);
    assert.deepEqual(config.http.rate_limit, {
      requests_per_minute: 600,
      per_ip_per_minute: 1200,
      login_per_minute: 3,
    });
    for (
      const [text, pattern] of [
        ["[http.rate_limit]\nper_token = 5\n", /http\.rate_limit.*per_token/],
        ["[http]\nsession_ttl = 5\n", /http.*session_ttl/],
        ["[http.rate_limit]\nrequests_per_minute = 0\n", /http\.rate_limit\.requests_per_minute/],
        ["[http]\nsession_ttl_hours = -1\n", /http\.session_ttl_hours/],
      ] as const
    ) {
      await assert.rejects(
        loadConfig({ env: noEnv, path: await configFile(dir, text) }),
        talonError("invalid_config", pattern),
        text,
      );
    }
  });
});
