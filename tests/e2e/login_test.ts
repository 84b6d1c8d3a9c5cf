import assert from "node:assert/strict";
import { browserTest } from "./browser_fixtures.ts";

const HOSTILE = `/</script><script>alert(1)</script><!--"'&<>`;

browserTest(
  "the first-run login link lands on / signed in, with the token gone from the URL",
  async (f) => {
    await f.page.goto(f.loginLink);
    await f.page.waitForURL(`${f.url}/`);
    await f.page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    assert.equal(await f.page.evaluate(() => location.hash), "");
    assert.equal(
      await f.page.getByRole("link", { name: "Overview" }).getAttribute("aria-current"),
      "page",
    );
    const cookies = await f.context.cookies();
    const session = cookies.find((c) => c.name === "talon_session");
    assert.ok(session?.httpOnly, "the session cookie is HttpOnly");
    assert.equal(session.sameSite, "Strict");
    // The token is not left in history either: going back shows /login without it.
    await f.page.goBack();
    assert.equal(f.page.url(), `${f.url}/login`);
    await f.page.goForward();
    await f.page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
    await f.screenshots("overview");
    await f.checkA11y();
    assert.deepEqual(f.consoleErrors, []);
  },
);

browserTest(
  "a bad token shows the error next to the field, and the login page is accessible",
  async (f) => {
    await f.page.goto(`${f.url}/login`);
    await f.screenshots("login");
    await f.checkA11y();
    await f.page.getByLabel("API token").fill("tln_000000000000_wrong");
    await f.page.getByRole("button", { name: "Sign in" }).click();
    const alert = f.page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /that token is not valid/);
    assert.equal(f.page.url(), `${f.url}/login`, "the island showed the error without navigating");
    assert.equal(await f.page.getByLabel("API token").getAttribute("aria-invalid"), "true");
    await f.screenshots("login-error");
    await f.checkA11y();
    // Keyboard: the error leaves the form usable; a good token via Enter signs in.
    await f.page.getByLabel("API token").fill(f.adminToken);
    await f.page.keyboard.press("Enter");
    await f.page.waitForURL(`${f.url}/`);
  },
);

browserTest(
  "a page without a session redirects to /login with next, and signing in returns there",
  async (f) => {
    await f.page.goto(`${f.url}/?from=test`);
    assert.equal(f.page.url(), `${f.url}/login?next=%2F%3Ffrom%3Dtest`);
    await f.page.getByLabel("API token").fill(f.adminToken);
    await f.page.getByRole("button", { name: "Sign in" }).click();
    await f.page.waitForURL(`${f.url}/?from=test`);
  },
);

browserTest(
  "hostile strings in island props stay inert text through render and hydration",
  async (f) => {
    await f.page.goto(`${f.url}/login?next=${encodeURIComponent(HOSTILE)}`);
    // Hydrated: the island handles a bad token itself (no navigation).
    await f.page.getByLabel("API token").fill("tln_000000000000_wrong");
    await f.page.getByRole("button", { name: "Sign in" }).click();
    await f.page.getByRole("alert").waitFor();
    assert.equal(await f.page.locator('input[name="next"]').inputValue(), HOSTILE);
    assert.equal(await f.page.locator("script").count(), 1, "only the boot script");
    assert.equal(await f.page.locator("talon-island > form").count(), 1);
    assert.deepEqual(f.dialogs, [], "no alert() ran");
    const unexpected = f.consoleErrors.filter((m) => !/status of 401 \(Unauthorized\)/.test(m));
    assert.deepEqual(unexpected, [], "no CSP violation or script error");
  },
);

browserTest("a page with no island loads no script at all", async (f) => {
  await f.signIn();
  // Leave the overview (it has islands) first, so its late chunk loads are not counted.
  await f.page.goto(`${f.url}/skills`);
  await f.page.getByRole("heading", { level: 1, name: "Skills and tools" }).waitFor();
  const scripts: string[] = [];
  f.page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(request.url());
  });
  await f.page.reload();
  await f.page.getByRole("heading", { level: 1, name: "Skills and tools" }).waitFor();
  assert.equal(await f.page.locator("script").count(), 0);
  assert.deepEqual(scripts, []);
});
