-- CreateTable
CREATE TABLE "HoursDeclaration" (
    "id" UUID NOT NULL,
    "marcheId" UUID NOT NULL,
    "personId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "hours" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL,
    "declaredBy" TEXT NOT NULL,
    "declaredAt" TIMESTAMP(3) NOT NULL,
    "validatedBy" TEXT,
    "validatedAt" TIMESTAMP(3),

    CONSTRAINT "HoursDeclaration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "HoursDeclaration_marcheId_personId_month_key" ON "HoursDeclaration"("marcheId", "personId", "month");

-- AddForeignKey
ALTER TABLE "HoursDeclaration" ADD CONSTRAINT "HoursDeclaration_marcheId_fkey" FOREIGN KEY ("marcheId") REFERENCES "Marche"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

