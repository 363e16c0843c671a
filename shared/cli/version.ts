/** The package's name and version (`tripwire --version`, reports, the evidence manifest): read from package.json, inlined by the build. */
import manifest from "../../package.json" with { type: "json" };

export const VERSION: string = manifest.version;

/** The tool as the evidence manifest and the OCSF metadata name it. */
export const TOOL = Object.freeze({ name: manifest.name, version: manifest.version });
