import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { MirrorDelta } from '../api/types'
import { MirrorDeltaView } from './MirrorDeltaView'

const radius: NonNullable<MirrorDelta['blast_radius']> = {
  services_left: ['ledger'], services_joined: [], network_policies_left: ['ledger-ingress'], network_policies_kept: ['default-deny-egress'],
  network_policies_joined: [], ingress_isolated: { source: true, mirror: false }, egress_isolated: { source: true, mirror: true },
  isolation_lost: [{ direction: 'Ingress', policies: ['ledger-ingress'] }], controllers_left: [{ kind: 'StatefulSet', name: 'ledger' }],
  autoscalers_left: [], shared_mounts: [{ kind: 'Secret', name: 'ledger-db' }], read_write_once_claims: ['data-ledger-0'],
  service_account: { name: 'ledger', token_mounted: true, dangers: [] }, source_labels: { app: 'ledger' }, mirror_labels: {},
}

describe('MirrorDeltaView', () => {
  it('warns before deploying a proposal the gate would refuse, and what isolation the mirror loses', () => {
    render(
      <MirrorDeltaView
        delta={{
          refused: ['spec.hostNetwork: the mirror may not use the host network'],
          changes: ['spec.containers[0].image'],
          can_do_more: ['receive Ingress traffic that ledger-ingress keeps from its source'],
          blast_radius: radius,
        }}
      />,
    )
    expect(screen.getByRole('alert')).toHaveTextContent('spec.hostNetwork: the mirror may not use the host network')
    expect(screen.getByTestId('delta-more')).toHaveTextContent('receive Ingress traffic')
    expect(screen.getByTestId('isolation-lost')).toHaveTextContent('Ingress (was isolated by ledger-ingress)')
    expect(screen.getByText('spec.containers[0].image')).toBeInTheDocument()
    expect(screen.getByText('The mirror gets none of their traffic.')).toBeInTheDocument()
    expect(screen.getByText(/data-ledger-0/)).toBeInTheDocument()
  })

  it('says plainly when the mirror can do nothing more and the graph did not answer', () => {
    render(<MirrorDeltaView delta={{ refused: [], changes: [], can_do_more: [], blast_radius: null }} />)
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    expect(screen.getByTestId('delta-no-more')).toHaveTextContent('The mirror can do nothing its source cannot.')
    expect(screen.getByText('unknown: the cluster graph did not answer')).toBeInTheDocument()
  })
})
