export { createApp, type ApiApp, type CreateAppOptions } from "./app";
export { httpErrorOf, STATUS_BY_KIND, type ErrorBody } from "./http/error-mapping";
