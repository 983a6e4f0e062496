// Starts a real ruad for the end-to-end test: SQLite in a temporary directory, a free port on
// 127.0.0.1, no DNS or background jobs reaching out. Tenants and keys are made with the
// `ruad admin` CLI; everything after that goes through the SDK.
//
// RUAD_BIN names the server binary (default: target/debug/ruad of this repository, or of
// $CARGO_TARGET_DIR); RUAD_CORPUS_DIR the shared report corpus (default ../shared/corpus).
// A missing binary or corpus fails the test: it never passes without having run.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function ruadBin(): string {
  const bin =
    process.env.RUAD_BIN ||
    path.join(process.env.CARGO_TARGET_DIR || path.join(repo, "target"), "debug", "ruad");
  if (!fs.existsSync(bin)) {
    throw new Error(`ruad binary not found at ${bin}: run \`cargo build --bin ruad\` or set RUAD_BIN`);
  }
  return bin;
}

export function corpusDir(): string {
  const dir = process.env.RUAD_CORPUS_DIR || path.join(repo, "..", "shared", "corpus");
  if (!fs.existsSync(path.join(dir, "EXPECTED.json"))) {
    throw new Error(`report corpus not found at ${dir}: set RUAD_CORPUS_DIR`);
  }
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class Ruad {
  readonly baseUrl: string;
  private readonly bin: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly dir: string;
  private process?: ChildProcess;

  private constructor(port: number) {
    this.bin = ruadBin();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "ruad-sdk-ts-"));
    this.baseUrl = `http://127.0.0.1:${port}`;
    // Only our settings: a RUAD_* variable of the caller's would be read by ruad too.
    this.env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("RUAD_")),
    );
    Object.assign(this.env, {
      RUAD_DATABASE_URL: `sqlite://${path.join(this.dir, "ruad.db")}`,
      RUAD_LISTEN: `127.0.0.1:${port}`,
      RUAD_DNS_NAMESERVERS: "127.0.0.1:1",
      RUAD_DNS_TIMEOUT_MS: "200",
      RUAD_JOBS_ENABLED: "false",
      RUAD_WORKERS: "2",
      RUST_LOG: "warn",
    });
  }

  /**
   * Starts ruad. Its port was found free by binding port 0 and letting it go, so another
   * process can take it first: then ruad exits saying so, and it starts on another port.
   */
  static async start(): Promise<Ruad> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const ruad = new Ruad(await freePort());
      const logPath = path.join(ruad.dir, "ruad.log");
      const log = fs.openSync(logPath, "w");
      ruad.process = spawn(ruad.bin, ["serve"], { env: ruad.env, stdio: ["ignore", log, log] });
      const deadline = Date.now() + 30_000;
      let exited = false;
      while (Date.now() < deadline) {
        if (ruad.process.exitCode !== null) {
          exited = true;
          break;
        }
        try {
          if ((await fetch(`${ruad.baseUrl}/readyz`)).ok) return ruad;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const text = fs.readFileSync(logPath, "utf8");
      if (!exited) {
        await ruad.stop();
        throw new Error(`ruad did not become ready; its log:\n${text}`);
      }
      const code = ruad.process.exitCode;
      await ruad.stop();
      if (!text.includes("Address already in use")) {
        throw new Error(`ruad exited with ${code}; its log:\n${text}`);
      }
    }
    throw new Error("ruad found its port taken five times in a row");
  }

  /** `ruad admin ARGS…` against this server's database; its JSON answer. */
  admin(...args: string[]): Record<string, string> {
    return JSON.parse(execFileSync(this.bin, ["admin", ...args], { env: this.env }).toString());
  }

  /** A tenant and an admin API key, made with the CLI. */
  bootstrap(name: string): { tenant: string; key: string } {
    const tenant = this.admin("create-tenant", "--name", name).id;
    const key = this.admin("create-api-key", "--tenant", tenant, "--role", "admin").key;
    return { tenant, key };
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
