// csvjson: turns CSV (RFC 4180 quoting, first row as header) into JSON rows.
import { Host } from "@extism/as-pdk";
import { fail, quote, stringField } from "../../_lib/json";

function abortPlugin(message: string | null, file: string | null, line: u32, column: u32): void {
  unreachable();
}

function parse(csv: string, delimiter: i32): Array<Array<string>> {
  const rows = new Array<Array<string>>();
  let row = new Array<string>();
  const field = new Array<string>();
  let quoted = false;
  let start = 0;
  let i = 0;
  let fieldStarted = false;
  while (i < csv.length) {
    const c = csv.charCodeAt(i);
    if (quoted) {
      if (c == 34) {
        field.push(csv.substring(start, i));
        if (i + 1 < csv.length && csv.charCodeAt(i + 1) == 34) {
          field.push('"');
          i += 2;
          start = i;
          continue;
        }
        quoted = false;
        i++;
        start = i;
        continue;
      }
      i++;
      continue;
    }
    if (c == 34 && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
      start = i;
      continue;
    }
    if (c == delimiter || c == 10 || c == 13) {
      field.push(csv.substring(start, i));
      row.push(field.join(""));
      field.length = 0;
      fieldStarted = false;
      if (c != delimiter) {
        if (c == 13 && i + 1 < csv.length && csv.charCodeAt(i + 1) == 10) i++;
        if (!(row.length == 1 && row[0].length == 0)) rows.push(row);
        row = new Array<string>();
      }
      i++;
      start = i;
      continue;
    }
    fieldStarted = true;
    i++;
  }
  field.push(csv.substring(start, i));
  row.push(field.join(""));
  if (!(row.length == 1 && row[0].length == 0)) rows.push(row);
  return rows;
}

function isNumber(s: string): bool {
  if (s.length == 0 || s.length > 15) return false;
  let digits = 0;
  let dot = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 45 && i == 0) continue;
    if (c == 46 && !dot) {
      dot = true;
      continue;
    }
    if (c < 48 || c > 57) return false;
    digits++;
  }
  if (digits == 0) return false;
  // No leading zeros ("007" stays a string).
  const first = s.charCodeAt(s.charCodeAt(0) == 45 ? 1 : 0);
  return !(first == 48 && s.length > 1 && s.charCodeAt(s.charCodeAt(0) == 45 ? 2 : 1) != 46);
}

export function to_json(): i32 {
  const input = Host.inputString();
  const csv = stringField(input, "csv");
  if (csv == null) return fail('the input must be a JSON object with a string field "csv"');
  const delim = stringField(input, "delimiter");
  if (delim != null && delim.length != 1) return fail("delimiter must be one character");
  const rows = parse(csv, delim == null ? 44 : delim.charCodeAt(0));
  if (rows.length == 0) {
    Host.outputString('{"columns":[],"rows":[],"row_count":0}');
    return 0;
  }
  const header = rows[0];
  const columns = new Array<string>();
  for (let c = 0; c < header.length; c++) columns.push(quote(header[c]));
  const out = new Array<string>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length != header.length) {
      return fail(
        "row " + (r + 1).toString() + " has " + row.length.toString() + " fields; the header has " +
          header.length.toString(),
      );
    }
    const fields = new Array<string>();
    for (let c = 0; c < header.length; c++) {
      const v = row[c];
      fields.push(columns[c] + ":" + (isNumber(v) ? v : quote(v)));
    }
    out.push("{" + fields.join(",") + "}");
  }
  Host.outputString(
    '{"columns":[' + columns.join(",") + '],"rows":[' + out.join(",") + '],"row_count":' +
      (rows.length - 1).toString() + "}",
  );
  return 0;
}
