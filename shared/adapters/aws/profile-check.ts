/**
 * A named profile that the AWS shared files do not define is refused before the run, in one
 * line naming the profile and the files it was looked for in, instead of the SDK's credential
 * chain failing later, after its own warnings. The files are read as the SDK reads them
 * (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials).
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { loadSharedConfigFiles } from "@smithy/core/config";
import { ConfigError } from "../../config/settings.ts";

export async function checkProfileExists(
  profile: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const home = env.HOME || env.USERPROFILE || homedir();
  const configFile = env.AWS_CONFIG_FILE || join(home, ".aws", "config");
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials");
  const files = await loadSharedConfigFiles({
    configFilepath: configFile,
    filepath: credentialsFile,
    ignoreCache: true,
  });
  if (Object.hasOwn(files.configFile, profile) || Object.hasOwn(files.credentialsFile, profile)) return;
  throw new ConfigError(
    `invalid profile setting (--profile, TRIPWIRE_PROFILE or "profile"): no AWS profile ${JSON.stringify(profile)} ` +
      `in ${configFile} or ${credentialsFile}`,
  );
}
