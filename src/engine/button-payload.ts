/**
 * Button payloads: `<sid>.<turn>.<action>` in base 36, e.g. `k3x9a.1f.o2`. They name the conversation
 * and the turn they were drawn for, so a button pressed on an older message (or after a reset) is
 * recognised as stale, and anything that does not parse is treated as forged. At most 64 bytes
 * (Telegram callback_data; LINE postback data allows 300).
 */
export interface ButtonPayload {
  sid: string;
  turn: number;
  action: string;
}

const PAYLOAD = /^([0-9a-z]{1,12})\.([0-9a-z]{1,8})\.([A-Za-z][A-Za-z0-9-]{0,42})$/;

/** Largest payload in bytes any channel accepts. */
export const MAX_PAYLOAD_BYTES = 64;

export function encodePayload(sid: string, turn: number, action: string): string {
  return `${sid}.${turn.toString(36)}.${action}`;
}

/** Parses a payload; null when it is not one of ours (forged or mangled). */
export function decodePayload(payload: string): ButtonPayload | null {
  if (payload.length > MAX_PAYLOAD_BYTES) return null;
  const m = PAYLOAD.exec(payload);
  if (!m) return null;
  const turn = Number.parseInt(m[2]!, 36);
  if (!Number.isSafeInteger(turn)) return null;
  return { sid: m[1]!, turn, action: m[3]! };
}

/**
 * The action of a button that opens one of a guide's shortcuts (by its place in the guide's `shortcuts`), e.g.
 * `jincident-3`. Ids are lower-case (flow-schema.ts), so the "-<number>" at the end is never part of the id.
 */
export function shortcutAction(flowId: string, index: number): string {
  return `j${flowId}-${index}`;
}

/** The guide and shortcut a shortcutAction names, or null for any other action. */
export function shortcutOfAction(action: string): { flow: string; index: number } | null {
  const m = /^j([a-z][a-z0-9-]*)-(\d{1,2})$/.exec(action);
  return m ? { flow: m[1]!, index: Number(m[2]) } : null;
}
