"""Remote signing through the Cloud Signature Consortium API v2: client, pyHanko signer and
simulator."""
