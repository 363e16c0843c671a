import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../shared/core/duration.ts";

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000],
    ["20m", 1_200_000],
    ["2h", 7_200_000],
    ["7d", 604_800_000],
    ["0s", 0],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ["a number without a unit", "90"],
    ["a unit without a number", "s"],
    ["a compound form", "1m30s"],
    ["a fraction", "1.5h"],
    ["a sign", "-5s"],
    ["a plus sign", "+5s"],
    ["a space between number and unit", "5 s"],
    ["a leading space", " 5s"],
    ["a trailing space", "5s "],
    ["a leading zero", "05s"],
    ["an upper-case unit", "5S"],
    ["milliseconds", "500ms"],
    ["a word", "ten seconds"],
    ["scientific notation", "1e3s"],
    ["hexadecimal", "0x10s"],
    ["the empty string", ""],
    ["more than nine digits", "1234567890s"],
  ])("refuses %s (%j)", (_case, text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    [2_000, "2s"],
    [90_000, "90s"],
    [120_000, "2m"],
    [7_200_000, "2h"],
    [604_800_000, "7d"],
    [1_500, "1500ms"],
  ])("writes %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
