// The pipe for a packed runtime (submit and quote): the body schema, and NUL refused everywhere except in
// file paths, which the intake checks itself (artifact_path_invalid, naming what is wrong with the path,
// NUL included) so that the generic refusal does not hide the better error.
import { SubmitRuntimeBodySchema } from "@assay/platform";
import { ZodPipe } from "../../http/zod-pipe";

export const submissionBodyPipe = () => new ZodPipe(SubmitRuntimeBodySchema, undefined, { nulCheckedLaterAt: /^files\.\d+\.path$/ });
