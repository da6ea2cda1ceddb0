/**
 * `AkashDeployment`: a Pulumi dynamic resource that deploys an SDL on Akash through
 * `@akashnetwork/chain-sdk` — create = certificate, deployment with deposit, bids (lowest allowed
 * price), lease, manifest over mTLS, status; update = new version on chain + manifest re-sent;
 * delete = close (the deposit returns). The mnemonic and the client key are secret inputs and
 * outputs, so they reach state only encrypted.
 * @see https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/
 */
import * as pulumi from "@pulumi/pulumi";
import { deploy, destroy, prepareSdl, update, type DeploymentState } from "../../akash/deploy/flow.js";
import { providerHttp } from "../../akash/deploy/provider-http.js";
import type { AkashChain, ClientCertificate, ProviderApi } from "../../akash/deploy/types.js";
import { parse } from "yaml";

/** Inputs as the provider sees them (resolved). */
export interface AkashDeploymentInputs {
  readonly sdl: string;
  readonly mnemonic: string;
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
  chain(i: AkashDeploymentInputs, saved?: ClientCertificate): Promise<AkashChain>;
  provider(): ProviderApi;
}

export const realClients: AkashClients = {
  async chain(i, saved) {
    const { chainSdkClient } = await import("./chain-sdk-client.js");
    return chainSdkClient({ rpcUrl: i.rpcUrl, grpcUrl: i.grpcUrl, mnemonic: i.mnemonic, ...(saved ? { savedCertificate: saved } : {}) });
  },
  provider: () => providerHttp(),
};

/** The dynamic provider; exported so its create/update/delete can be exercised without the engine. */
export class AkashDeploymentProvider implements pulumi.dynamic.ResourceProvider {
  constructor(private readonly clients: AkashClients = realClients) {}

  async create(inputs: AkashDeploymentInputs): Promise<pulumi.dynamic.CreateResult> {
    const chain = await this.clients.chain(inputs);
    const state = await deploy(chain, this.clients.provider(), await prepareSdl(parse(inputs.sdl)), options(inputs));
    const certificate = await chain.ensureCertificate();
    return { id: state.dseq, outs: { ...inputs, ...state, certificate } };
  }

  async diff(_id: string, olds: AkashDeploymentOutputs, news: AkashDeploymentInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces = (["rpcUrl", "grpcUrl", "mnemonic"] as const).filter((k) => olds[k] !== news[k]);
    const changes = replaces.length > 0 || olds.sdl !== news.sdl || JSON.stringify(olds.deposit) !== JSON.stringify(news.deposit);
    return { changes, replaces: [...replaces], deleteBeforeReplace: true };
  }

  async update(_id: string, olds: AkashDeploymentOutputs, news: AkashDeploymentInputs): Promise<pulumi.dynamic.UpdateResult> {
    const chain = await this.clients.chain(news, olds.certificate);
    const state = await update(chain, this.clients.provider(), olds, await prepareSdl(parse(news.sdl)), options(news));
    return { outs: { ...news, ...state, certificate: await chain.ensureCertificate() } };
  }

  async delete(id: string, olds: AkashDeploymentOutputs): Promise<void> {
    await destroy(await this.clients.chain(olds, olds.certificate), id);
  }
}

function options(i: AkashDeploymentInputs) {
  return {
    deposit: i.deposit,
    ...(i.allowedProviders ? { allowedProviders: i.allowedProviders } : {}),
    ...(i.bidTimeoutMs ? { bidTimeoutMs: i.bidTimeoutMs } : {}),
    ...(i.readyTimeoutMs ? { readyTimeoutMs: i.readyTimeoutMs } : {}),
    ...(i.pollMs ? { pollMs: i.pollMs } : {}),
  };
}

/** Args of {@link AkashDeployment}. */
export interface AkashDeploymentArgs {
  /** The deployable SDL (holds credentials: pass it as a secret). */
  readonly sdl: pulumi.Input<string>;
  /** Wallet mnemonic. @default the secret stack config `tlos:akashMnemonic` */
  readonly mnemonic?: pulumi.Input<string>;
  /** @default "https://rpc.akashnet.net:443" */
  readonly rpcUrl?: pulumi.Input<string>;
  /** @default "https://grpc.akashnet.net:443" */
  readonly grpcUrl?: pulumi.Input<string>;
  /** Escrow deposit, e.g. `{ denom: "uact", amount: "5000000" }`. */
  readonly deposit: pulumi.Input<{ denom: string; amount: string }>;
  /** Providers allowed to win the lease. @default any */
  readonly allowedProviders?: pulumi.Input<string[]>;
  /** @default 180000 */
  readonly bidTimeoutMs?: pulumi.Input<number>;
  /** @default 900000 */
  readonly readyTimeoutMs?: pulumi.Input<number>;
}

/**
 * The provider Pulumi serializes: it captures nothing but a package specifier and loads the
 * runtime from the installed package when the engine calls it.
 */
const serializableProvider: pulumi.dynamic.ResourceProvider = {
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
};

export class AkashDeployment extends pulumi.dynamic.Resource {
  declare readonly dseq: pulumi.Output<string>;
  declare readonly provider: pulumi.Output<string>;
  declare readonly hostUri: pulumi.Output<string>;
  declare readonly services: pulumi.Output<DeploymentState["services"]>;
  declare readonly forwardedPorts: pulumi.Output<DeploymentState["forwardedPorts"]>;

  constructor(name: string, args: AkashDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    const mnemonic = args.mnemonic ?? new pulumi.Config("tlos").requireSecret("akashMnemonic");
    super(
      serializableProvider,
      name,
      {
        sdl: pulumi.secret(args.sdl),
        mnemonic: pulumi.secret(mnemonic),
        rpcUrl: args.rpcUrl ?? "https://rpc.akashnet.net:443",
        grpcUrl: args.grpcUrl ?? "https://grpc.akashnet.net:443",
        deposit: args.deposit,
        allowedProviders: args.allowedProviders,
        bidTimeoutMs: args.bidTimeoutMs,
        readyTimeoutMs: args.readyTimeoutMs,
        dseq: undefined, provider: undefined, hostUri: undefined, services: undefined, forwardedPorts: undefined,
      },
      { ...opts, additionalSecretOutputs: ["sdl", "mnemonic", "certificate"] },
    );
  }
}
