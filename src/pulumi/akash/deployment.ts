/**
 * `AkashDeployment`: a Pulumi dynamic resource that deploys an SDL on Akash through
 * `@akashnetwork/chain-sdk` — create = certificate, deployment with deposit, bids (lowest allowed
 * price), lease, manifest over mTLS, status; update = new manifest version, deposit top-up,
 * endpoints; delete = close (the deposit returns); read = the lease's state for `pulumi refresh`.
 * What Akash cannot update in place (the groups: GPU, compute, count, pricing, placement) previews
 * as a replace. The wallet is provider configuration (`tlos:akashMnemonic`, read in `configure`),
 * never a resource input, so it is in no deployment's state.
 * @see https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/
 */
import * as pulumi from "@pulumi/pulumi";
import { deploy, destroy, prepareSdl, update, AkashDeployError, type DeploymentState } from "../../akash/deploy/flow.js";
import { providerHttp } from "../../akash/deploy/provider-http.js";
import type { AkashChain, Bid, ClientCertificate, ProviderApi } from "../../akash/deploy/types.js";
import { parse } from "yaml";
import { akashGroups, groupChanges, type AkashGroups } from "./groups.js";

/** Default readiness timeout: an hour, for multi-hundred-GB model downloads. */
export const AKASH_READY_TIMEOUT_MS = 3_600_000;

/** Inputs as the provider sees them (resolved). */
export interface AkashDeploymentInputs {
  readonly sdl: string;
  /** What Akash cannot update in place, from the SDL (no credentials): a change replaces. */
  readonly groups?: AkashGroups;
  readonly rpcUrl: string;
  readonly grpcUrl: string;
  readonly deposit: { readonly denom: string; readonly amount: string };
  readonly allowedProviders?: readonly string[];
  readonly bidTimeoutMs?: number;
  readonly readyTimeoutMs?: number;
  readonly pollMs?: number;
}

export interface AkashDeploymentOutputs extends AkashDeploymentInputs, DeploymentState {
  readonly certificate: ClientCertificate;
}

/** How the provider reaches the chain and providers; tests pass stand-ins. */
export interface AkashClients {
  chain(c: { rpcUrl: string; grpcUrl: string; mnemonic: string }, saved?: ClientCertificate): Promise<AkashChain>;
  provider(): ProviderApi;
}

export const realClients: AkashClients = {
  async chain(c, saved) {
    const { chainSdkClient } = await import("./chain-sdk-client.js");
    return chainSdkClient({ ...c, ...(saved ? { savedCertificate: saved } : {}) });
  },
  provider: () => providerHttp(),
};

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The dynamic provider; exported so its create/diff/update/delete/read run without the engine. */
export class AkashDeploymentProvider implements pulumi.dynamic.ResourceProvider {
  private mnemonic: string | undefined;

  constructor(private readonly clients: AkashClients = realClients, mnemonic?: string) {
    this.mnemonic = mnemonic;
  }

  /** Reads the wallet from the stack config the engine hands the provider. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.mnemonic = req.config.get("tlos:akashMnemonic") ?? this.mnemonic;
  }

  private chain(i: AkashDeploymentInputs, saved?: ClientCertificate): Promise<AkashChain> {
    if (!this.mnemonic) throw new AkashDeployError("no-wallet", "the Akash wallet is not configured: pulumi config set --secret tlos:akashMnemonic \"word word …\"");
    return this.clients.chain({ rpcUrl: i.rpcUrl, grpcUrl: i.grpcUrl, mnemonic: this.mnemonic }, saved);
  }

  async create(inputs: AkashDeploymentInputs): Promise<pulumi.dynamic.CreateResult> {
    const chain = await this.chain(inputs);
    // any failure once the deployment exists closes it: no billing lease Pulumi does not record
    let created: string | undefined;
    const watched: AkashChain = {
      owner: () => chain.owner(),
      height: () => chain.height(),
      ensureCertificate: () => chain.ensureCertificate(),
      createDeployment: async (i) => {
        await chain.createDeployment(i);
        created = i.dseq;
      },
      updateDeployment: (i) => chain.updateDeployment(i),
      closeDeployment: async (dseq) => {
        await chain.closeDeployment(dseq);
        if (dseq === created) created = undefined;
      },
      depositDeployment: (dseq, a) => chain.depositDeployment(dseq, a),
      bids: (dseq) => chain.bids(dseq),
      createLease: (dseq, b) => chain.createLease(dseq, b),
      leaseState: (dseq, b) => chain.leaseState(dseq, b),
      providerHostUri: (p) => chain.providerHostUri(p),
    };
    try {
      const state = await deploy(watched, this.clients.provider(), await prepareSdl(parse(inputs.sdl)), options(inputs));
      const certificate = await chain.ensureCertificate();
      return { id: state.dseq, outs: { ...inputs, groups: akashGroups(inputs.sdl), ...state, certificate } };
    } catch (e) {
      if (created === undefined) throw e;
      const dseq = created;
      try {
        await chain.closeDeployment(dseq);
      } catch (c) {
        throw new AkashDeployError("close-failed", `${(e as Error).message}; closing deployment ${dseq} failed too (${(c as Error).message}): close it by hand, it may be billing`);
      }
      throw new AkashDeployError(e instanceof AkashDeployError ? e.code : "failed", `${(e as Error).message}; deployment ${dseq} closed`);
    }
  }

  async diff(_id: string, olds: AkashDeploymentOutputs, news: AkashDeploymentInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    if (groupChanges(olds.groups ?? akashGroups(olds.sdl), news.groups ?? akashGroups(news.sdl)).length > 0) replaces.push("groups");
    // the lease's provider is no longer allowed: a new deployment must find an allowed one
    const allowed = news.allowedProviders ?? [];
    if (allowed.length > 0 && olds.provider && !allowed.includes(olds.provider)) replaces.push("allowedProviders");
    const keys = ["sdl", "rpcUrl", "grpcUrl", "deposit", "allowedProviders", "bidTimeoutMs", "readyTimeoutMs", "pollMs"] as const;
    const changes = replaces.length > 0 || keys.some((k) => !sameJson(olds[k], news[k]));
    return { changes, replaces, deleteBeforeReplace: true };
  }

  async update(_id: string, olds: AkashDeploymentOutputs, news: AkashDeploymentInputs): Promise<pulumi.dynamic.UpdateResult> {
    const chain = await this.chain(news, olds.certificate);
    let state: DeploymentState = olds;
    const more = BigInt(news.deposit.amount) - BigInt(olds.deposit.amount);
    if (news.deposit.denom === olds.deposit.denom && more > 0n) await chain.depositDeployment(olds.dseq, { denom: news.deposit.denom, amount: more.toString() });
    if (news.sdl !== olds.sdl) state = await update(chain, this.clients.provider(), olds, await prepareSdl(parse(news.sdl)), options(news));
    // a lower deposit or another denom: escrow cannot be withdrawn in place; the state records what was asked
    return { outs: { ...news, groups: akashGroups(news.sdl), ...stateOf(state), deposit: more > 0n || news.deposit.denom !== olds.deposit.denom ? news.deposit : olds.deposit, certificate: await chain.ensureCertificate() } };
  }

  async delete(id: string, olds: AkashDeploymentOutputs): Promise<void> {
    await destroy(await this.chain(olds, olds.certificate), id);
  }

  /** `pulumi refresh`: a lease closed on chain (funds ran out, provider gone) drops the resource. */
  async read(id: string, props?: AkashDeploymentOutputs): Promise<pulumi.dynamic.ReadResult> {
    if (!props) return { id, props: {} };
    const chain = await this.chain(props, props.certificate);
    const bid: Bid = { provider: props.provider, gseq: props.gseq, oseq: props.oseq, bseq: 0, price: props.price };
    const state = await chain.leaseState(id, bid);
    if (state === "active") return { id, props };
    return {};
  }
}

function stateOf(s: DeploymentState): DeploymentState {
  return { dseq: s.dseq, owner: s.owner, provider: s.provider, hostUri: s.hostUri, gseq: s.gseq, oseq: s.oseq, price: s.price, services: s.services, forwardedPorts: s.forwardedPorts };
}

function options(i: AkashDeploymentInputs) {
  return {
    deposit: i.deposit,
    ...(i.allowedProviders ? { allowedProviders: i.allowedProviders } : {}),
    ...(i.bidTimeoutMs ? { bidTimeoutMs: i.bidTimeoutMs } : {}),
    readyTimeoutMs: i.readyTimeoutMs ?? AKASH_READY_TIMEOUT_MS,
    ...(i.pollMs ? { pollMs: i.pollMs } : {}),
  };
}

/** Args of {@link AkashDeployment}. The wallet is the stack config `tlos:akashMnemonic` (provider configuration). */
export interface AkashDeploymentArgs {
  /** The deployable SDL (holds credentials: pass it as a secret). */
  readonly sdl: pulumi.Input<string>;
  /** @default "https://rpc.akashnet.net:443" */
  readonly rpcUrl?: pulumi.Input<string>;
  /** @default "https://grpc.akashnet.net:443" */
  readonly grpcUrl?: pulumi.Input<string>;
  /** Escrow deposit, e.g. `{ denom: "uact", amount: "5000000" }`; raising it tops the escrow up in place. */
  readonly deposit: pulumi.Input<{ denom: string; amount: string }>;
  /** Providers allowed to win the lease; dropping the current one replaces the deployment. @default any */
  readonly allowedProviders?: pulumi.Input<string[]>;
  /** @default 180000 */
  readonly bidTimeoutMs?: pulumi.Input<number>;
  /** How long every service may take to be ready (model downloads). @default 3600000 */
  readonly readyTimeoutMs?: pulumi.Input<number>;
}

/**
 * The provider Pulumi serializes: it captures nothing but a package specifier and loads the
 * runtime from the installed package when the engine calls it.
 */
const serializableProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    const rt = await import("@tlos/grid/akash-runtime");
    await rt.configure(req);
  },
  async create(inputs) {
    const rt = await import("@tlos/grid/akash-runtime");
    return rt.create(inputs);
  },
  async diff(id, olds, news) {
    const rt = await import("@tlos/grid/akash-runtime");
    return rt.diff(id, olds, news);
  },
  async update(id, olds, news) {
    const rt = await import("@tlos/grid/akash-runtime");
    return rt.update(id, olds, news);
  },
  async delete(id, olds) {
    const rt = await import("@tlos/grid/akash-runtime");
    await rt.remove(id, olds);
  },
  async read(id, props) {
    const rt = await import("@tlos/grid/akash-runtime");
    return rt.read(id, props);
  },
};

export class AkashDeployment extends pulumi.dynamic.Resource {
  declare readonly dseq: pulumi.Output<string>;
  declare readonly provider: pulumi.Output<string>;
  declare readonly hostUri: pulumi.Output<string>;
  declare readonly groups: pulumi.Output<AkashGroups>;
  declare readonly services: pulumi.Output<DeploymentState["services"]>;
  declare readonly forwardedPorts: pulumi.Output<DeploymentState["forwardedPorts"]>;

  constructor(name: string, args: AkashDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    const sdl = pulumi.secret(args.sdl);
    super(
      serializableProvider,
      name,
      {
        sdl,
        // the groups hold no credentials: plain, so a preview shows what forces the replace
        groups: pulumi.unsecret(sdl.apply((s) => akashGroups(s))),
        rpcUrl: args.rpcUrl ?? "https://rpc.akashnet.net:443",
        grpcUrl: args.grpcUrl ?? "https://grpc.akashnet.net:443",
        deposit: args.deposit,
        allowedProviders: args.allowedProviders,
        bidTimeoutMs: args.bidTimeoutMs,
        readyTimeoutMs: args.readyTimeoutMs ?? AKASH_READY_TIMEOUT_MS,
        dseq: undefined, provider: undefined, hostUri: undefined, services: undefined, forwardedPorts: undefined,
      },
      { ...opts, additionalSecretOutputs: ["sdl", "certificate"] },
    );
  }
}
