/**
 * The scoring API (POST /v1/predict/<task>, GET /v1/models/<task>[/artifact]). forRoot takes the
 * tunables so tests can shorten the usage flush or the deadline; the app module uses the defaults.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { ApiKeyAuthService } from './api-key-auth.service';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';
import { API_KEY_USAGE_FLUSH_MS, ApiKeyUsageTracker } from './api-key-usage.tracker';
import { ModelResolverService, SHIPPED_DEFAULTS, shippedDefaultsFromScoringLibrary, type ShippedDefaults } from './model-resolver.service';
import { ScoringApiController } from './scoring-api.controller';
import { DEFAULT_SCORING_API_OPTIONS, SCORING_API_OPTIONS, ScoringApiService, type ScoringApiOptions } from './scoring-api.service';

@Module({})
export class ScoringApiModule {
  static forRoot(overrides: Partial<ScoringApiOptions> & { shippedDefaults?: ShippedDefaults } = {}): DynamicModule {
    const { shippedDefaults, ...tunables } = overrides;
    const options: ScoringApiOptions = { ...DEFAULT_SCORING_API_OPTIONS, ...tunables };
    return {
      module: ScoringApiModule,
      controllers: [ScoringApiController],
      providers: [
        { provide: SCORING_API_OPTIONS, useValue: options },
        { provide: API_KEY_USAGE_FLUSH_MS, useValue: options.usageFlushMs },
        { provide: SHIPPED_DEFAULTS, useValue: shippedDefaults ?? shippedDefaultsFromScoringLibrary() },
        ApiKeyRateLimiter,
        ApiKeyUsageTracker,
        ApiKeyAuthService,
        ModelResolverService,
        ScoringApiService,
      ],
      exports: [ApiKeyUsageTracker, ModelResolverService],
    };
  }
}
