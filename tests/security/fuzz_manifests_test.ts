/**
 * Fuzz pass over every manifest loader (fast-check, fixed seed): agent
 * manifests (TOML and JSON text, and objects), HAND.toml packages and
 * SKILL.md documents, each mutated from a real bundled file or built from
 * hostile values. A loader either accepts or throws a `TalonError` with a
 * message; nothing else escapes, and a refused spawn writes nothing.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { loadHandPackage } from "../../kernel/hands/hand_package.ts";
import { isTalonError, parseManifestText } from "../../kernel/mod.ts";
import { loadSkillParser, parseSkillMd } from "../../kernel/skills/skill_md.ts";
import { withKernel } from "../kernel/fixtures.ts";
import { hostileString, mutatedText, SEED, snapshot, wireValue } from "./fuzz_fixtures.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));

/** Runs `load`; passes when it returns or throws a TalonError with a message. */
async function acceptsOrRefuses(load: () => unknown, label: string): Promise<boolean> {
  try {
    await load();
    return true;
  } catch (error) {
    assert.ok(isTalonError(error), `${label}: ${error instanceof Error ? error.stack : error}`);
    assert.ok(error.message.length > 0, `${label}: an empty message`);
    return false;
  }
}

Deno.test("fuzz: agent manifests, as text or objects, are accepted or refused with a TalonError that writes nothing", async () => {
  const toml = await read("examples/assistant.toml");
  const json = await read("examples/scripted.json");
  await withKernel(async (kernel) => {
    const spawn = async (raw: unknown, label: string) => {
      const before = snapshot(kernel);
      const ok = await acceptsOrRefuses(() => kernel.agents.spawn(raw), label);
      if (!ok) assert.deepEqual(snapshot(kernel), before, `${label}: refused but wrote`);
      // A spawned agent's key pair is made in the background: let it land before the next input.
      else await kernel.identity.identity.settle();
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(mutatedText(toml), mutatedText(json), fc.string({ maxLength: 300 })),
        fc.constantFrom(undefined, "toml", "json"),
        async (text, hint) => {
          const label = `manifest text ${JSON.stringify(text.slice(0, 200))}`;
          let raw: unknown;
          const parsed = await acceptsOrRefuses(() => {
            raw = parseManifestText(text, hint ? { hint: hint as "toml" | "json" } : {});
          }, label);
          if (parsed) await spawn(raw, label);
        },
      ),
      { seed: SEED, numRuns: 250 },
    );
    await fc.assert(
      fc.asyncProperty(wireValue, async (raw) => {
        await spawn(raw, `manifest object ${JSON.stringify(raw)?.slice(0, 200)}`);
      }),
      { seed: SEED + 1, numRuns: 250 },
    );
  });
});

Deno.test("fuzz: HAND.toml and SOP.md packages are loaded or refused with a TalonError", async () => {
  const handToml = await read("hands/researcher/HAND.toml");
  const sopMd = await read("hands/researcher/SOP.md");
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(mutatedText(handToml), fc.string({ maxLength: 300 })),
      fc.oneof({ arbitrary: fc.constant(sopMd), weight: 4 }, mutatedText(sopMd), hostileString),
      async (toml, sop) => {
        await acceptsOrRefuses(
          () => loadHandPackage({ handToml: toml, sopMd: sop, where: "hands/researcher" }),
          `HAND.toml ${JSON.stringify(toml.slice(0, 200))}`,
        );
      },
    ),
    { seed: SEED + 2, numRuns: 300 },
  );
});

Deno.test("fuzz: SKILL.md documents are parsed or refused with a TalonError", async () => {
  await loadSkillParser(); // YAML loads on first install; installed skills are parsed after it
  const texts = await Promise.all(
    ["csvjson", "extract", "textstats"].map((s) => read(`skills/${s}/SKILL.md`)),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(...texts.map(mutatedText), fc.string({ maxLength: 300 })),
      async (text) => {
        await acceptsOrRefuses(
          () => parseSkillMd(text),
          `SKILL.md ${JSON.stringify(text.slice(0, 200))}`,
        );
      },
    ),
    { seed: SEED + 3, numRuns: 300 },
  );
});
