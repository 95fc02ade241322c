# Public-key signatures (RSA, ECDSA, EdDSA) and JWK Sets, in the token core.
libjwtcore_la_SOURCES += \
	src/jwks.c src/jwks.h \
	src/jwt_pubkey.c src/jwt_pubkey.h \
	src/jwt_sig_pk.h \
	src/jwt_sig_ecdsa.c \
	src/jwt_sig_eddsa.c \
	src/jwt_sig_rsa.c
# Private JWKs: signing keys for pam-jwt mint.
libjwtcore_la_SOURCES += src/jwk_private.c src/jwk_private.h
