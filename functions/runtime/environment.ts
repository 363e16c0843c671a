/**
 * What a function reads from its environment, once per container: the engine's settings
 * (TRIPWIRE_* variables, validated by loadSettings) and the few values only the deployed
 * functions need. A missing variable fails the cold start with the variable's name.
 */
import { loadSettings, type Settings } from "../../shared/config/settings.ts";

/** A variable the deployment must set is missing or empty. */
export class MissingEnvironmentError extends Error {
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set (serverless.yml sets it on deploy)`);
    this.name = "MissingEnvironmentError";
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The TRIPWIRE_* variables the functions read themselves, beside the engine's settings:
 * serverless.yml sets them, and the settings loader must not take them for unknown settings.
 */
export const FUNCTION_VARIABLES = [
  "TRIPWIRE_QUEUE_URL",
  "TRIPWIRE_ORGANIZATION_ID",
  "TRIPWIRE_RECORDS_BUCKET",
  "TRIPWIRE_SWEEP_ROLE_ID",
  "TRIPWIRE_ALERT_TOPIC_ARN",
  "TRIPWIRE_PROVE_TIMEOUT",
] as const;

export type FunctionVariable = (typeof FUNCTION_VARIABLES)[number];

/** The engine's settings, from TRIPWIRE_* variables; the home region defaults to the function's. */
export function settingsFromEnvironment(env: Environment): Settings {
  return loadSettings({
    env: { ...env, TRIPWIRE_HOME_REGION: env.TRIPWIRE_HOME_REGION || env.AWS_REGION },
    knownVariables: FUNCTION_VARIABLES,
  });
}

export function requiredVariable(env: Environment, name: FunctionVariable): string {
  const value = env[name];
  if (!value) throw new MissingEnvironmentError(name);
  return value;
}

export function optionalVariable(env: Environment, name: FunctionVariable): string | undefined {
  return env[name] || undefined;
}

/** CloudWatch namespace of the run metrics (not the member accounts' alarm metric). */
export const METRICS_NAMESPACE = "Tripwire";
