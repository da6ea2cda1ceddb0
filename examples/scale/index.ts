// The Pulumi program of the scale example (`pulumi up` with this as main; see full-grid/index.ts).
import { TlosGrid } from "@tlos/grid/pulumi";
import grid from "./grid.js";

const tlos = new TlosGrid("scale", { grid });

export const manifest = tlos.manifest;
export const units = tlos.components["scale/lattice/node-0"]?.files;
