import { useQuery } from '@tanstack/react-query'
import { api } from '../api/client'
import type { AppConfig } from '../api/types'

export function useConfig() {
  return useQuery({
    queryKey: ['config'],
    queryFn: () => api.get('/api/config') as Promise<AppConfig>,
    staleTime: 60_000,
  })
}
