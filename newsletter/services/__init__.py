"""The newsletter's state changes. Import from the submodules:

- ``newsletter.services.subscribers``: import, unsubscribe/resubscribe, erase (UK GDPR)
- ``newsletter.services.sends``: schedule, cancel, pause, resume, resend to failed
- ``newsletter.services.engine``: the dispatcher, the batch sender and the lease sweeper
"""
