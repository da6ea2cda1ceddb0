// The Pulumi program of the home-node example (`pulumi up` with this as main; see full-grid/index.ts).
import { TlosGrid } from "@tlos/grid/pulumi";
import grid from "./grid.js";

const tlos = new TlosGrid("home", { grid });

export const manifest = tlos.manifest;
export const units = tlos.components["home/lattice/home-1"]?.files;
