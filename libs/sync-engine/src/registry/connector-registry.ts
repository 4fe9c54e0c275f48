import type { Connector, ConnectorDescriptor, StreamDescriptor } from '@fieldcast/connector-sdk';

/** Injection token for the list of connectors the app registers (apps decide which connectors exist). */
export const CONNECTORS = Symbol('CONNECTORS');

/**
 * The one place that maps a vendor name to its connector. The engine never imports a concrete
 * connector and never switches on the provider: it asks the registry.
 */
export class ConnectorRegistry {
  private readonly byVendor = new Map<string, Connector>();

  constructor(connectors: Connector[]) {
    for (const connector of connectors) this.byVendor.set(connector.describe().vendor, connector);
  }

  get(vendor: string): Connector {
    const connector = this.byVendor.get(vendor);
    if (!connector) throw new Error(`No connector registered for vendor "${vendor}" (registered: ${[...this.byVendor.keys()].join(', ')})`);
    return connector;
  }

  has(vendor: string): boolean {
    return this.byVendor.has(vendor);
  }

  descriptors(): ConnectorDescriptor[] {
    return [...this.byVendor.values()].map((c) => c.describe());
  }

  stream(vendor: string, stream: string): StreamDescriptor {
    const descriptor = this.get(vendor).describe();
    const found = descriptor.streams.find((s) => s.name === stream);
    if (!found)
      throw new Error(`${descriptor.displayName} has no stream "${stream}" (streams: ${descriptor.streams.map((s) => s.name).join(', ')})`);
    return found;
  }
}
