import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { NotFoundError } from './errors.js';

/** A year, the longest lifetime browsers honour: a hashed URL's bytes never change. */
const LONG_CACHE_MS = 365 * 24 * 60 * 60 * 1000;
/** The plain path (/static/app.css) is still asked by pages from before an update and by old service workers. */
const SHORT_CACHE_MS = 60 * 60 * 1000;
const HASHED = /^\/([0-9a-f]{8})(\/.+)$/;

export interface StaticAssets {
  /** GET /static/<hash8>/<file> (immutable, a year) · GET /static/<file> (short cache) */
  readonly router: Router;
  /** The content-hashed URL of a file under assets/public, e.g. asset('js/onboarding.js'). */
  readonly url: (file: string) => string;
  /** Every file by its hashed URL, e.g. for the service worker's shell. */
  readonly urls: ReadonlyMap<string, string>;
  /** One hash of all the files: changes whenever any of them does. */
  readonly version: string;
  /** GET /favicon.ico, where browsers look for it without being told (the short cache of the plain path). */
  readonly favicon: RequestHandler;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

function hashOf(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

/**
 * The files of `dir` (assets/public), hashed once when the app is built: a page names each by a URL holding
 * the hash of its bytes, served with `immutable` and a year's lifetime, so a phone on 3G downloads the CSS and
 * scripts once per version and never asks again, yet gets a new version at once (a new hash, a new URL).
 * A hashed URL whose hash is no longer current (a page from before an update) still gets today's file, with
 * the short lifetime of the plain path.
 */
export function staticAssets(dir: string, { production }: { production: boolean }): StaticAssets {
  const hashes = new Map(filesUnder(dir).map((file) => [file, hashOf(readFileSync(path.join(dir, file)))]));
  const url = (file: string) => {
    const hash = hashes.get(file);
    if (!hash) throw new Error(`No such asset under ${dir}: ${file}`);
    return `/static/${hash}/${file}`;
  };
  const urls = new Map([...hashes.keys()].map((file) => [file, url(file)]));
  const version = hashOf([...hashes].map(([file, hash]) => `${file}:${hash}`).join('\n'));

  const forever = express.static(dir, { index: false, immutable: true, maxAge: LONG_CACHE_MS });
  const briefly = express.static(dir, { index: false, maxAge: production ? SHORT_CACHE_MS : 0 });
  const router = Router();
  router.use((req, res, next) => {
    const hashed = HASHED.exec(req.path);
    if (!hashed) return briefly(req, res, next);
    const [, hash, file] = hashed as unknown as [string, string, string];
    const known = hashes.get(file.slice(1));
    // A hashed URL names one of our files or nothing: 404, not the login page.
    if (!known) return next(new NotFoundError());
    req.url = file + req.url.slice(req.path.length);
    return known === hash ? forever(req, res, next) : briefly(req, res, next);
  });
  const favicon: RequestHandler = (_req, res) => {
    res.sendFile(path.join(dir, 'favicon.ico'), { maxAge: production ? SHORT_CACHE_MS : 0 });
  };
  return { router, url, urls, version, favicon };
}
