/**
 * Express 4 is installed as the dev-dependency alias `express4` (npm:express@4) so one suite can
 * run over both majors. It has no types of its own under that name; its API as used here
 * (express(), Router, json, raw, app.listen) is the same as Express 5's.
 */
declare module 'express4' {
  import express from 'express';
  export default express;
}
