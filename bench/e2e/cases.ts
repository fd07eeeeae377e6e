/** The end-to-end cases: which server route, and which signed request the load generator sends. */
export type CaseName = 'floor' | 'handwritten' | 'handwritten-handled' | 'handwritten-unique' | 'hookguard' | 'hookguard-dedupe' | 'hookguard-github' | 'octokit' | 'svix';

/** `fixed`: one signed request sent every time. `unique`: a new id + signature per request (signed in the load process). */
export type RequestKind = 'swh-fixed' | 'swh-unique' | 'svix-fixed' | 'github-fixed';

export interface CaseSpec {
  name: CaseName;
  label: string;
  request: RequestKind;
  /** Another copy of hookguard for this server (`HOOKGUARD_BENCH_SRC`); default the measured one. */
  source?: string;
}

export const CASES: readonly CaseSpec[] = [
  { name: 'floor', label: '(a) express.raw() floor route', request: 'swh-fixed' },
  { name: 'handwritten', label: '(b) express.raw() + HMAC + JSON.parse', request: 'swh-fixed' },
  { name: 'handwritten-handled', label: '(b*) as (b), then the zod schema and the async handler of (c)', request: 'swh-fixed' },
  { name: 'hookguard', label: '(c) hookguard expressMiddleware, dedupe: false', request: 'swh-fixed' },
  { name: 'handwritten-unique', label: '(b′) as (b), a new signed delivery per request', request: 'swh-unique' },
  { name: 'hookguard-dedupe', label: '(c′) hookguard, default memory store, a new delivery per request', request: 'swh-unique' },
  { name: 'octokit', label: '(d) @octokit/webhooks createNodeMiddleware', request: 'github-fixed' },
  { name: 'hookguard-github', label: '(c-gh) hookguard, the github preset on (d)’s delivery and handler (no schema, like (d))', request: 'github-fixed' },
  { name: 'svix', label: '(e) svix Webhook.verify in an express.raw() route', request: 'svix-fixed' },
];

/** The JSON body size for every case (~1 KiB, like a typical event). */
export const BODY_BYTES = 1024;
export const PATH = '/webhook';
