// Building a status list's payload from the indexes whose bit is set: the one
// function the platform's publisher and the bench both run.
import { toCertificateTime } from "../certificate/time";
import { bitstringOf, encodeBitstring, statusListSize, type Gzip } from "./bitstring";
import { STATUS_LIST_FORMAT, STATUS_LIST_PURPOSE, type StatusListPayload } from "./schema";

export type StatusListInput = {
  id: string;
  issuer: string;
  sequence: number;
  publishedAt: Date;
  validUntil: Date;
  /** The highest index handed out (-1: none): the list covers 0..highestIndex. */
  highestIndex: number;
  /** Indexes whose bit is set (withdrawn certificates). */
  withdrawn: Iterable<number>;
};

export async function buildStatusList(input: StatusListInput, gzip?: Gzip): Promise<{ payload: StatusListPayload; bits: Uint8Array }> {
  const size = statusListSize(input.highestIndex);
  const bits = bitstringOf(size, input.withdrawn);
  const payload: StatusListPayload = {
    format: STATUS_LIST_FORMAT,
    id: input.id,
    issuer: input.issuer,
    purpose: STATUS_LIST_PURPOSE,
    sequence: input.sequence,
    publishedAt: toCertificateTime(input.publishedAt),
    validUntil: toCertificateTime(input.validUntil),
    size,
    encodedList: await encodeBitstring(bits, gzip),
  };
  return { payload, bits };
}
