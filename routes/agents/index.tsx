/**
 * `/agents`: GET lists agents (`?q=&state=&limit=&before=`) with the spawn
 * forms for operators. POST is those forms without JavaScript (operator):
 * `kind=form` (the spawn form's fields) or `kind=manifest` (a TOML or JSON
 * manifest, pasted or uploaded). Both are checked with SpawnAgentBody, the
 * API's schema; success is 303 to `/agents/{id}`, a refusal re-renders the
 * page with each error on the field the refusal's `fields` name and
 * everything typed kept (400, or the refusal's status: 409 name taken, 403
 * capability beyond the bound, 422 not supported yet, …).
 */
import {
  agentPageOf,
  AgentsPage,
  freshSpawnState,
  type SpawnState,
} from "../../components/agents/AgentsPage.tsx";
import { actorOf, type RouteHandlers } from "../../http/define.ts";
import { statusOf } from "../../http/errors.ts";
import { page, type PageRequest } from "../../http/page.tsx";
import { checkSpawnForm, refusalErrors, spawnValuesOf } from "../../islands/lib/spawn_form.ts";
import { type Kernel, parseManifestText, TalonError } from "../../kernel/mod.ts";
import { parseOrRefuse, SpawnAgentBody } from "../../kernel/types.ts";

type Form = Record<string, string | File | (string | File)[]>;

/** The page; a filter that does not parse makes a GET a 400. */
function render(p: PageRequest, spawn: SpawnState, status: number): Response {
  const list = agentPageOf(p.kernel, p.url);
  return p.render(<AgentsPage page={p} list={list} spawn={spawn} />, {
    status: !list.ok && status === 200 ? 400 : status,
  });
}

function spawn(kernel: Kernel, body: SpawnAgentBody, actor: string): string {
  const { parent, ...manifest } = body;
  return kernel.agents.spawn(manifest, { parent, actor }).id;
}

function refusal(error: unknown): TalonError {
  if (error instanceof TalonError) return error;
  throw error;
}

function spawnFromForm(p: PageRequest, form: Form): Response {
  const values = spawnValuesOf((name) => [form[name] ?? []].flat());
  const checked = checkSpawnForm(values);
  const state = { ...freshSpawnState(), values };
  if (!checked.ok) return render(p, { ...state, errors: checked.errors }, 400);
  try {
    return p.redirect(`/agents/${encodeURIComponent(spawn(p.kernel, checked.body, actorOf(p.c)))}`);
  } catch (error) {
    const failure = refusal(error);
    return render(p, { ...state, errors: refusalErrors(values, failure) }, statusOf(failure.code));
  }
}

/** The uploaded file (with its name, a format hint) or else the pasted text. */
async function manifestText(form: Form): Promise<{ text: string; fileName?: string }> {
  const file = [form.file].flat()[0];
  if (file instanceof File && file.size > 0) {
    return { text: await file.text(), fileName: file.name };
  }
  const text = [form.manifest].flat()[0];
  return { text: typeof text === "string" ? text : "" };
}

function parseManifest(text: string, fileName: string | undefined): unknown {
  if (text.trim() === "") {
    throw new TalonError("invalid_input", "Paste a manifest or choose a file.");
  }
  return parseManifestText(text, { hint: fileName });
}

async function spawnFromManifest(p: PageRequest, form: Form): Promise<Response> {
  const { text, fileName } = await manifestText(form);
  const state = { ...freshSpawnState(), manifestText: text };
  try {
    const body = parseOrRefuse(SpawnAgentBody, parseManifest(text, fileName), {
      code: "invalid_manifest",
      prefix: "invalid manifest",
    });
    return p.redirect(`/agents/${encodeURIComponent(spawn(p.kernel, body, actorOf(p.c)))}`);
  } catch (error) {
    const failure = refusal(error);
    return render(
      p,
      { ...state, manifestError: failure.message, manifestFields: failure.fields },
      statusOf(failure.code),
    );
  }
}

export const handler: RouteHandlers = {
  GET: page("viewer", (p) => render(p, freshSpawnState(), 200)),
  POST: page("operator", async (p) => {
    const form = await p.c.req.parseBody({ all: true }) as Form;
    return form.kind === "manifest" ? await spawnFromManifest(p, form) : spawnFromForm(p, form);
  }),
};
