import { z } from 'zod';

const localizedText = z.object({ ru: z.string(), en: z.string() });

/**
 * Why a gateway call did not succeed: the schema is the type's one definition, so an error stored as
 * jsonb (an admin action's, a flash in a URL) is read back by parsing, never by a cast.
 */
export const gatewayErrorSchema = z.discriminatedUnion('kind', [
  /** Refused before sending: the request itself is invalid. */
  z.object({ kind: z.literal('invalid_request'), field: z.string(), message: z.string() }),
  /** The connection failed; `sent` is false only when the request certainly never left. */
  z.object({ kind: z.literal('network'), sent: z.boolean(), message: z.string() }),
  z.object({ kind: z.literal('timeout'), timeoutMs: z.number() }),
  z.object({ kind: z.literal('http'), status: z.number().int() }),
  /** The gateway answered with non-zero firstcode/secondcode: the request was not processed. */
  z.object({
    kind: z.literal('gateway'),
    firstCode: z.number().int(),
    secondCode: z.number().int(),
    text: localizedText,
  }),
  /** The reply could not be understood (garbage, unsafe XML, missing fields); `message` names the element. */
  z.object({ kind: z.literal('malformed'), message: z.string() }),
  /** Not sent: the shared budget for this service is spent (legacy results.cfm: once per 10 minutes). */
  z.object({ kind: z.literal('rate_limited'), retryAfterSeconds: z.number() }),
  /** Processed (firstcode 0) but the bank declined the operation: its responsecode says why. */
  z.object({ kind: z.literal('declined'), responseCode: z.string(), text: localizedText }),
  /** Processed and still running at the bank (AS300 / `In Process`): it settles later. */
  z.object({ kind: z.literal('in_process'), responseCode: z.string(), text: localizedText }),
]);

export type GatewayError = z.infer<typeof gatewayErrorSchema>;
