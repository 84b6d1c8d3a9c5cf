/**
 * `/login`: GET shows the token form (an island that also handles the
 * first-run link `/login#token=…`); POST is the same form without
 * JavaScript: it logs in through http/session.ts and redirects to `next`,
 * or shows the form again with the error (401).
 */
import type { JSX } from "preact";
import { Document } from "../components/Document.tsx";
import type { RouteHandlers } from "../http/define.ts";
import { LoginForm } from "../http/islands.gen.ts";
import { publicPage, safeNext } from "../http/page.tsx";
import { logIn } from "../http/session.ts";
import { TalonError } from "../kernel/mod.ts";
import { LoginBody } from "../kernel/types.ts";

function LoginPage(props: { next: string; error?: string }): JSX.Element {
  return (
    <Document title="Sign in">
      <main class="bare">
        <section class="login" aria-labelledby="login-title">
          <header>
            <span class="brand">
              <span class="brand-mark" aria-hidden="true">◆</span> Talon
            </span>
            <h1 id="login-title">Sign in</h1>
            <p class="muted">Use an API token to open the dashboard.</p>
          </header>
          <LoginForm next={props.next} error={props.error} />
        </section>
      </main>
    </Document>
  );
}

export const handler: RouteHandlers = {
  GET: publicPage((p) => <LoginPage next={safeNext(p.url.searchParams.get("next"))} />),
  POST: publicPage(async (p) => {
    const form = await p.c.req.parseBody();
    const next = safeNext(typeof form.next === "string" ? form.next : undefined);
    const parsed = LoginBody.safeParse({ token: form.token });
    if (!parsed.success) {
      const error = parsed.error.issues[0]?.message ?? "enter your API token";
      return p.render(<LoginPage next={next} error={error} />, { status: 400 });
    }
    try {
      await logIn(p.c, parsed.data.token);
    } catch (error) {
      if (!(error instanceof TalonError)) throw error;
      if (error.code !== "unauthorized" && error.code !== "rate_limited") throw error;
      const status = error.code === "unauthorized" ? 401 : 429;
      return p.render(<LoginPage next={next} error={error.message} />, { status });
    }
    return p.redirect(next);
  }),
};
