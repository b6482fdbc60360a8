// Global filter: every error thrown in a guard, pipe or controller leaves through
// httpErrorOf. Unexpected errors (5xx) are logged with their stack.
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from "@nestjs/common";
import type { Response } from "express";
import { httpErrorOf } from "./error-mapping";

@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger("errors");

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const mapped = httpErrorOf(exception);
    if (mapped.status >= 500) this.logger.error((exception as Error)?.stack ?? String(exception));
    if (response.headersSent) return;
    response.status(mapped.status).set(mapped.headers).json(mapped.body);
  }
}
