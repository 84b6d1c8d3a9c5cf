/**
 * Screening outside content before a model reads it: fetched pages, search
 * results, MCP tool results. Text the injection scanner flags is delivered
 * inside a quarantine block (see {@link quarantine}) and the quarantine is
 * audited as `content.quarantined`, naming the families that matched.
 *
 * @module
 */
import { quarantine, scanForInjection } from "./injection_scan.ts";

/** Where a quarantine is audited. */
export interface QuarantineAudit {
  append(record: {
    action: "content.quarantined";
    actor: string;
    agent_id: string;
    detail: Record<string, unknown>;
  }): unknown;
}

/**
 * `text` as the model should see it: unchanged when the scanner finds
 * nothing, inside a quarantine block (audited) when it flags it. `scan` is
 * the text to scan when it differs from `text` (e.g. only a result's prose).
 */
export function screenOutsideContent(
  text: string,
  context: {
    /** A URL, `web_search "query"`, `MCP server "docs" tool "x"`. */
    source: string;
    tool: string;
    agentId: string;
    turnId: string;
    audit: QuarantineAudit;
    scan?: string;
  },
): string {
  const finding = scanForInjection(context.scan ?? text);
  if (!finding.flagged) return text;
  context.audit.append({
    action: "content.quarantined",
    actor: `agent:${context.agentId}`,
    agent_id: context.agentId,
    detail: {
      tool: context.tool,
      source: context.source,
      turn_id: context.turnId,
      families: finding.families,
      rules: finding.rules,
    },
  });
  return quarantine(text, { source: context.source, families: finding.families });
}
