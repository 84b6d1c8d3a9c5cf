/**
 * What a person sends an agent. Written with `zod/mini` (see ./mini.ts): the
 * agent page's chat island checks with it before it sends.
 *
 * @module
 */
import * as z from "zod/mini";
import "./mini.ts";

/** Body of `POST /api/agents/{id}/message` (and its `/stream` twin). */
export const MessageBody = z.strictObject({
  text: z.string().check(z.minLength(1, "must not be empty"), z.maxLength(200_000)),
});
/** A message body. */
export type MessageBody = z.infer<typeof MessageBody>;
