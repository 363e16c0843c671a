// `node --import <this file> ...`: logs every resolved module URL to $MODULE_LOG_FILE.
import { register } from "node:module";

register("./module-log.hooks.mjs", import.meta.url, { data: { logFile: process.env.MODULE_LOG_FILE } });
