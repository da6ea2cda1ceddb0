/**
 * Deploying an SDL on Akash: client certificate → deployment with deposit → wait for bids →
 * choose a bid → lease → manifest to the provider over mTLS → lease status until every service
 * is up. Update re-sends the new version; delete closes the deployment (the deposit returns).
 *
 * Bid policy: the lowest price among the allowed providers (all providers when no list is given;
 * the SDL's `signedBy` already limits who may bid); ties go to the lower provider address, so the
 * choice is reproducible.
 */
import type { AkashChain, Bid, LeaseStatus, ProviderApi } from "./types.js";
import { importOptional } from "../../core/optional.js";

export class AkashDeployError extends Error {
  constructor(readonly code: "no-bids" | "manifest-rejected" | "lease-lost" | "not-ready" | "no-wallet" | "close-failed" | "failed", message: string) {
    super(message);
    this.name = "AkashDeployError";
  }
}

/** What generateManifest gives for an SDL, ready to send. */
export interface PreparedSdl {
  readonly groupSpecs: unknown[];
  readonly manifestJson: string;
  readonly hash: Uint8Array;
}

/** Validates an SDL and prepares its manifest with `@akashnetwork/chain-sdk`. */
export async function prepareSdl(sdl: unknown): Promise<PreparedSdl> {
  const { generateManifest, generateManifestVersion, manifestToSortedJSON } = await importOptional("@akashnetwork/chain-sdk", () => import("@akashnetwork/chain-sdk"));
  const r = generateManifest(sdl as never, "mainnet");
  if (!r.ok) throw new Error(`invalid SDL: ${r.value.map((e) => `${e.instancePath} ${e.message ?? ""}`).join("; ")}`);
  return { groupSpecs: r.value.groupSpecs, manifestJson: manifestToSortedJSON(r.value.groups), hash: await generateManifestVersion(r.value.groups) };
}

export interface DeployOptions {
  /** Escrow deposit, e.g. `{ denom: "uact", amount: "5000000" }`. */
  readonly deposit: { readonly denom: string; readonly amount: string };
  /** Providers allowed to win; empty or absent: any that bids. */
  readonly allowedProviders?: readonly string[];
  /** How long to wait for bids. @default 180000 */
  readonly bidTimeoutMs?: number;
  /** How long to wait for every service to be available. @default 900000 */
  readonly readyTimeoutMs?: number;
  /** Poll interval. @default 6000 (about one block) */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
}

export interface DeploymentState {
  readonly dseq: string;
  readonly owner: string;
  readonly provider: string;
  readonly hostUri: string;
  readonly gseq: number;
  readonly oseq: number;
  readonly price: Bid["price"];
  readonly services: LeaseStatus["services"];
  readonly forwardedPorts: LeaseStatus["forwardedPorts"];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bid policy: lowest price among allowed providers, ties by provider address. */
export function chooseBid(bids: readonly Bid[], allowed: readonly string[] = []): Bid | undefined {
  return bids
    .filter((b) => allowed.length === 0 || allowed.includes(b.provider))
    .sort((a, b) => a.price.amount - b.price.amount || (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0))[0];
}

async function waitReady(chain: AkashChain, api: ProviderApi, s: Omit<DeploymentState, "services" | "forwardedPorts">, bid: Bid, o: DeployOptions, cert: { certPem: string; keyPem: string }): Promise<LeaseStatus> {
  const end = Date.now() + (o.readyTimeoutMs ?? 900_000);
  let last: LeaseStatus | undefined;
  for (;;) {
    const state = await chain.leaseState(s.dseq, bid);
    if (state !== "active") throw new AkashDeployError("lease-lost", `lease ${s.dseq}/${bid.gseq}/${bid.oseq} with ${bid.provider} is ${state}`);
    try {
      last = await api.leaseStatus(s.hostUri, s.dseq, bid.gseq, bid.oseq, cert);
      const svcs = Object.values(last.services);
      if (svcs.length > 0 && svcs.every((x) => x.total > 0 && x.available >= x.total)) return last;
    } catch (e) {
      o.log?.(`lease status not yet available: ${(e as Error).message}`);
    }
    if (Date.now() > end) throw new AkashDeployError("not-ready", `services of deployment ${s.dseq} not ready after ${o.readyTimeoutMs ?? 900_000} ms: ${JSON.stringify(last?.services ?? {})}`);
    await sleep(o.pollMs ?? 6000);
  }
}

/** Creates the deployment and returns once every service is available. */
export async function deploy(chain: AkashChain, api: ProviderApi, sdl: PreparedSdl, o: DeployOptions): Promise<DeploymentState> {
  const owner = await chain.owner();
  const cert = await chain.ensureCertificate();
  const dseq = String(await chain.height());
  await chain.createDeployment({ dseq, groupSpecs: sdl.groupSpecs, hash: sdl.hash, deposit: { ...o.deposit } });
  o.log?.(`deployment ${dseq} created; waiting for bids`);
  const end = Date.now() + (o.bidTimeoutMs ?? 180_000);
  let bid: Bid | undefined;
  while (!(bid = chooseBid(await chain.bids(dseq), o.allowedProviders))) {
    if (Date.now() > end) {
      await chain.closeDeployment(dseq);
      throw new AkashDeployError("no-bids", `no bid from ${o.allowedProviders?.length ? `the allowed providers (${o.allowedProviders.join(", ")})` : "any provider"} within ${o.bidTimeoutMs ?? 180_000} ms; deployment ${dseq} closed and its deposit returned`);
    }
    await sleep(o.pollMs ?? 6000);
  }
  await chain.createLease(dseq, bid);
  const hostUri = await chain.providerHostUri(bid.provider);
  o.log?.(`lease with ${bid.provider} at ${bid.price.amount} ${bid.price.denom}/block; sending manifest to ${hostUri}`);
  try {
    await api.sendManifest(hostUri, dseq, sdl.manifestJson, cert);
  } catch (e) {
    await chain.closeDeployment(dseq);
    throw new AkashDeployError("manifest-rejected", `${(e as Error).message}; deployment ${dseq} closed`);
  }
  const base = { dseq, owner, provider: bid.provider, hostUri, gseq: bid.gseq, oseq: bid.oseq, price: bid.price };
  const status = await waitReady(chain, api, base, bid, o, cert);
  return { ...base, services: status.services, forwardedPorts: status.forwardedPorts };
}

/** Updates a running deployment to a new SDL version: new hash on chain, manifest re-sent. */
export async function update(chain: AkashChain, api: ProviderApi, current: DeploymentState, sdl: PreparedSdl, o: DeployOptions): Promise<DeploymentState> {
  const bid: Bid = { provider: current.provider, gseq: current.gseq, oseq: current.oseq, bseq: 0, price: current.price };
  const state = await chain.leaseState(current.dseq, bid);
  if (state !== "active") throw new AkashDeployError("lease-lost", `lease of deployment ${current.dseq} is ${state}: replace the deployment`);
  const cert = await chain.ensureCertificate();
  await chain.updateDeployment({ dseq: current.dseq, hash: sdl.hash });
  try {
    await api.sendManifest(current.hostUri, current.dseq, sdl.manifestJson, cert);
  } catch (e) {
    throw new AkashDeployError("manifest-rejected", `${(e as Error).message}; deployment ${current.dseq} keeps its previous manifest`);
  }
  const status = await waitReady(chain, api, current, bid, o, cert);
  return { ...current, services: status.services, forwardedPorts: status.forwardedPorts };
}

/** Closes the deployment; its escrow deposit returns to the owner. */
export async function destroy(chain: AkashChain, dseq: string): Promise<void> {
  await chain.closeDeployment(dseq);
}
