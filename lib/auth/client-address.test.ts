import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { clientAddress, connectionAddressHeader, stampConnectionAddress } from "./client-address";

describe("clientAddress", () => {
  it("uses the connection's address and ignores a forged X-Forwarded-For without a trusted proxy", () => {
    const headers = { [connectionAddressHeader]: "::ffff:10.0.0.7", "x-forwarded-for": "1.2.3.4" };
    expect(clientAddress(headers, 0)).toBe("10.0.0.7");
    expect(clientAddress(new Headers(headers), 0)).toBe("10.0.0.7");
    expect(clientAddress({ "x-forwarded-for": "1.2.3.4" }, 0)).toBe("unknown");
  });

  it("behind n trusted proxies, takes the n-th entry from the end of X-Forwarded-For", () => {
    const headers = { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.2", [connectionAddressHeader]: "10.0.0.3" };
    expect(clientAddress(headers, 1)).toBe("10.0.0.2");
    expect(clientAddress(headers, 2)).toBe("203.0.113.9");
    expect(clientAddress({ "x-forwarded-for": "203.0.113.9" }, 2)).toBe("203.0.113.9");
  });

  it("refuses anything that is not an address", () => {
    for (const forged of ["<script>", "a".repeat(100), "1.2.3.4\u0000", "", "evil host"]) {
      expect(clientAddress({ "x-forwarded-for": forged }, 1)).toBe("unknown");
    }
  });
});

describe("stampConnectionAddress", () => {
  it("replaces a client's own value of the header with the connection's address", () => {
    class FakeServer extends EventEmitter {}
    stampConnectionAddress({ Server: FakeServer as never });
    const server = new FakeServer();
    let seen: string | undefined;
    server.on("request", (request: { headers: Record<string, string> }) => (seen = request.headers[connectionAddressHeader]));
    server.emit("request", { headers: { [connectionAddressHeader]: "1.2.3.4" }, socket: { remoteAddress: "127.0.0.1" } });
    expect(seen).toBe("127.0.0.1");
  });
});
