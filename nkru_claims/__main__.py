from nkru_claims.cli import main

main()
