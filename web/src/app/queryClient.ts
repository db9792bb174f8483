import { QueryClient } from '@tanstack/react-query'
import { ApiError } from '../api/client'

/** Transient failures (backend unreachable, 502/503) are retried twice; a 4xx answer is final. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          error instanceof ApiError && [0, 502, 503].includes(error.status) ? count < 2 : false,
        retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 5000),
      },
      mutations: { retry: false },
    },
  })
}
