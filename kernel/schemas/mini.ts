/**
 * Sets up `zod/mini`, which the schemas islands ship are written with (the
 * same core as classic `zod`, so server code parses them alike, but
 * tree-shakeable). Classic zod registers English messages when its first
 * schema is built; mini registers none, so a browser bundle without classic
 * zod would word every issue "Invalid input". Importing this module registers
 * the same English locale (unless one is set), so a schema says the same
 * thing in the browser as on the server. Each mini schema module imports it.
 *
 * @module
 */
import { config } from "zod/mini";
import { en } from "zod/locales";

if (config().localeError === undefined) config(en());
