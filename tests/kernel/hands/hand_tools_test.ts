import assert from "node:assert/strict";
import { brierScore, metricValue, pageText } from "../../../kernel/hands/mod.ts";
import { withKernel, writeScript } from "../fixtures.ts";
import { runsSettled } from "./hand_fixtures.ts";

Deno.test("brierScore() is the mean squared error of resolved forecasts, null with none", () => {
  assert.equal(brierScore([{ probability: 0.5, outcome: null }]), null);
  assert.equal(
    brierScore([{ probability: 1, outcome: true }, { probability: 0, outcome: false }]),
    0,
  );
  assert.equal(brierScore([{ probability: 0.9, outcome: false }]), 0.81);
});

Deno.test("pageText() keeps what a reader sees, one block per line", () => {
  const html =
    "<html><head><style>p{}</style><script>var x = 1;</script></head><body><h1>Title</h1>" +
    "<p>Price: 10&nbsp;&euro; &amp; tax</p><!-- hidden --><div>  two   spaces </div></body></html>";
  assert.equal(pageText(html, "text/html"), "Title\nPrice: 10 &euro; & tax\ntwo spaces");
  assert.equal(pageText("a\n\n  b  \n", "text/plain"), "a\nb");
});

Deno.test("metricValue() shows a memory value in its format, and a dash when unset", () => {
  const m = (format: "number" | "integer" | "percent" | "usd" | "text") => ({
    label: "L",
    memory_key: "k",
    format,
  });
  assert.equal(metricValue(m("integer"), "1234.4").display, "1,234");
  assert.equal(metricValue(m("number"), "0.163333333").display, "0.1633");
  assert.equal(metricValue(m("percent"), "0.25").display, "25%");
  assert.equal(metricValue(m("usd"), "1.5").display, "$1.50");
  assert.equal(metricValue(m("integer"), "n/a").display, "n/a");
  assert.equal(metricValue(m("text"), undefined).display, "—");
});

Deno.test("forecast tools refuse a bad probability, a past date, an unknown id and a missing id", async () => {
  await withKernel(async (kernel, dir) => {
    const script = await writeScript(dir, {
      turns: [{
        match: ".*",
        steps: [
          {
            tool_calls: [
              {
                name: "forecast_record",
                args: { question: "Will it rain?", probability: 1.5, resolve_by: "2099-01-01" },
              },
              {
                name: "forecast_record",
                args: { question: "Will it rain?", probability: 0.5, resolve_by: "2001-01-01" },
              },
              { name: "forecast_resolve", args: { id: "nope", outcome: true } },
              { name: "forecast_resolve", args: {} },
            ],
          },
          { text: "done" },
        ],
      }],
    });
    kernel.hands.activate("predictor", { settings: { domain: "x" }, model: `script:${script}` });
    kernel.hands.run("predictor");
    await runsSettled(kernel, "predictor");
    const ends = kernel.bus.replay(0, { types: ["tool_end"], limit: 100 })
      .map((e) => e.data as { ok: boolean; output: string });
    assert.deepEqual(ends.map((e) => e.ok), [false, false, false, false]);
    assert.match(ends[0]!.output, /probability/);
    assert.match(ends[1]!.output, /not after today/);
    assert.match(ends[2]!.output, /no forecast "nope"/);
    assert.match(ends[3]!.output, /give the forecast's id/);
  });
});
