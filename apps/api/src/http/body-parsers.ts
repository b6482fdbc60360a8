// JSON body parsing with per-route size caps. Parser failures are answered here,
// through the same httpErrorOf mapping as everything else, because they happen
// before Nest's router (and its exception filters) sees the request.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { httpErrorOf } from "./error-mapping";

export function jsonBodyParser(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, strict: false });
  return (req: Request, res: Response, next: NextFunction) => {
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const mapped = httpErrorOf(err);
      // The rest of an oversize body is not read; close the connection after answering.
      if (mapped.status === 413) res.setHeader("Connection", "close");
      res.status(mapped.status).set(mapped.headers).json(mapped.body);
    });
  };
}

/** base64 grows 4/3, plus JSON framing: the body cap that admits `maxBytes` of files. */
export function submissionBodyLimit(maxBytes: number): number {
  return Math.ceil((maxBytes * 4) / 3) + 64 * 1024;
}
