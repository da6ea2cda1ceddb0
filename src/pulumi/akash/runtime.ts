/**
 * What the `AkashDeployment` dynamic provider runs inside the Pulumi engine. Pulumi serializes a
 * dynamic provider's code; to keep that small and robust, the serialized provider only imports
 * this module by its package name (`@tlos/grid/akash-runtime`) and calls these functions.
 */
import type * as pulumi from "@pulumi/pulumi";
import { AkashDeploymentProvider, realClients, type AkashDeploymentInputs, type AkashDeploymentOutputs } from "./deployment.js";

const provider = new AkashDeploymentProvider(realClients);

export const configure = (req: pulumi.dynamic.ConfigureRequest): Promise<void> => provider.configure(req);
export const create = (i: AkashDeploymentInputs): Promise<pulumi.dynamic.CreateResult> => provider.create(i);
export const diff = (id: string, o: AkashDeploymentOutputs, n: AkashDeploymentInputs): Promise<pulumi.dynamic.DiffResult> => provider.diff(id, o, n);
export const update = (id: string, o: AkashDeploymentOutputs, n: AkashDeploymentInputs): Promise<pulumi.dynamic.UpdateResult> => provider.update(id, o, n);
export const remove = (id: string, o: AkashDeploymentOutputs): Promise<void> => provider.delete(id, o);
export const read = (id: string, props?: AkashDeploymentOutputs): Promise<pulumi.dynamic.ReadResult> => provider.read(id, props);
